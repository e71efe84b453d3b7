// The devDependency alias `express4` (npm:express@4) has the same API as `express`.
declare module 'express4' {
  import express = require('express');
  export = express;
}
