import { convert } from 'openapi-to-postmanv2';

/**
 * Converts our OpenAPI document to a Postman v2.1 collection with Postman's own converter,
 * so "Import → Link" in Postman stays in step with the API (reference: collection "generated
 * live from our OpenAPI schema").
 */
export function postmanCollection(openapi: unknown): Promise<unknown> {
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
