package client

// Connection modes, for the tests and the benchmark only.
var (
	WithIdempotencyKey Option = func(c *Client) { c.conn = idempotencyKey }
	WithNaiveConns     Option = func(c *Client) { c.conn = naive }
)
