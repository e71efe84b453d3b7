/** A finished HTTP answer, before the gateway adds its own headers. */
export interface HttpResponse {
  statusCode: number;
  /** Name (as it goes on the wire) → value; an array becomes one header line per value. */
  headers: [string, string | string[]][];
  body: string | Buffer;
}
