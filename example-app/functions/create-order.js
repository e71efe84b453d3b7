// A non-proxy function behind a realistic mapping template. Errors carry a `[BadRequest]`
// marker that the integration response's selectionPattern turns into a 400.
exports.handler = async (event) => {
  if (!event.customer) throw new Error('[BadRequest] customer is required');
  if (!Array.isArray(event.lines) || event.lines.length === 0) {
    throw new Error('[BadRequest] an order needs at least one line');
  }
  const total = event.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return {
    orderId: `ord-${event.requestId.slice(0, 8)}`,
    customer: event.customer,
    lineCount: event.lines.length,
    total,
  };
};
