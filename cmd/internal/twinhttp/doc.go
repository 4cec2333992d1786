// Package twinhttp is the twin's HTTP API on the wire, for the commands
// that serve it ('lightsout twin', 'demo-twin', 'replay --http') and those
// that call it ('lightsout command', 'whatif').
//
// The server side: [ServerFlags] are the one set of flags of the API
// (--http, --api-token-file or $LIGHTSOUT_API_TOKEN, --insecure-no-auth,
// --http-name, --http-cert, --http-key, --max-forecasts,
// --forecast-timeout), checked all at once into [Settings] (the
// api.Policy, TLS, timeouts): a twin bound beyond loopback without a
// token is refused unless --insecure-no-auth. [Start] serves the API with
// every server timeout set and [Server.Close] shuts it down, ending the
// requests in flight (their forecasts stop).
//
// The client side: [ClientFlags] (--twin, --api-token-file or
// $LIGHTSOUT_API_TOKEN, --ca-file) give a [Client] that sends the token
// and trusts a private CA for an https:// twin; a refused token is an
// [AuthError] naming where the token came from.
package twinhttp
