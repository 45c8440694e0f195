// The dispatcher layer: handlers, filters, the worker pool, per-key ordering and shared state.
// It sees decoded `Update` values and a `BotAPICaller`; it knows neither sockets nor JSON bytes.
