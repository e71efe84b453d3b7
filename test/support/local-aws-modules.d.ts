// dynalite and s3rver ship no types: the little the tests use of them.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  function dynalite(options?: { createTableMs?: number; deleteTableMs?: number; path?: string }): Server;
  export = dynalite;
}
declare module 's3rver' {
  class S3rver {
    constructor(options: {
      port?: number;
      address?: string;
      silent?: boolean;
      directory: string;
      configureBuckets?: { name: string }[];
    });
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
  export = S3rver;
}
