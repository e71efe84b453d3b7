// The walkthrough's non-proxy function: API Gateway's mapping template builds its event.
exports.handler = (event, _context, callback) => {
  const res = {
    statusCode: 200,
    body: JSON.stringify(event.myParam),
  };
  callback(null, res);
};
