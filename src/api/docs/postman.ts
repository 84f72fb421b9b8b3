/**
 * Converts our OpenAPI document to a Postman v2.1 collection with Postman's own converter,
 * so "Import → Link" in Postman stays in step with the API (reference: collection "generated
 * live from our OpenAPI schema"). The converter is loaded on the first request: it adds about
 * 36 MB to a server's resident memory (bench/rebuild.ts measures the server), for a file few
 * clients ever fetch.
 */
export async function postmanCollection(openapi: unknown): Promise<unknown> {
  const { convert } = await import('openapi-to-postmanv2');
  return new Promise((resolve, reject) => {
    convert(
      { type: 'json', data: openapi as string },
      { folderStrategy: 'Tags', requestParametersResolution: 'Example' },
      (err, result) => {
        if (err) return reject(err);
        if (!result?.result) return reject(new Error(result?.reason ?? 'conversion failed'));
        resolve(result.output?.[0]?.data);
      },
    );
  });
}
