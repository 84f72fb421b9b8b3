/**
 * Converts our OpenAPI document to a Postman v2.1 collection with Postman's own converter,
 * so "Import → Link" in Postman stays in step with the API (reference: collection "generated
 * live from our OpenAPI schema"). The converter is loaded on the first request: it is large
 * (its resident memory is in bench/README.md), for a file few clients ever fetch.
 *
 * The converter is handed the document as JSON text, so it parses its own copy: it writes into
 * the schemas it resolves, and in the generated document one schema object can sit in several
 * places (a component and an `allOf` over it), so converting the live object made it fail on
 * its own edits ("Error while resolving allOf schema", printed with a stack trace) and put an
 * error placeholder into the collection's example bodies.
 */
export async function postmanCollection(openapi: unknown): Promise<unknown> {
  const { convert } = await import('openapi-to-postmanv2');
  return new Promise((resolve, reject) => {
    convert(
      { type: 'string', data: JSON.stringify(openapi) },
      { folderStrategy: 'Tags', requestParametersResolution: 'Example' },
      (err, result) => {
        if (err) return reject(err);
        if (!result?.result) return reject(new Error(result?.reason ?? 'conversion failed'));
        resolve(result.output?.[0]?.data);
      },
    );
  });
}
