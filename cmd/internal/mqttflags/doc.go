// Package mqttflags is the one set of MQTT connection flags that every
// program talking to a broker shares ('lightsout edge', 'twin',
// 'demo-twin' and the window's twin mode): the broker URL, under the name
// the program gives it (--broker, --twin), --username, --password (or
// $LIGHTSOUT_MQTT_PASSWORD), --ca-file, --cert-file and --key-file, and,
// for the programs that can start an embedded broker, --broker-listen. It
// checks them all at once, each problem naming its flag, and builds the
// link.Options they describe.
package mqttflags
