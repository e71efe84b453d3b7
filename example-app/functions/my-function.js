// The walkthrough's proxy function, unchanged from what runs on AWS Lambda.
exports.handler = async (_event) => {
  return {
    statusCode: 200,
    body: 'Hello from Lambda!',
  };
};
