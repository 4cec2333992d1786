// Package link carries Sparkplug messages over MQTT: [Dial] opens a
// reconnecting MQTT 5 client connection (eclipse/paho.golang autopaho) and
// [StartBroker] embeds an MQTT broker (mochi-mqtt) on a TCP listener, for the
// default local setup and for tests; [StartBrokerWith] adds one user name
// and password (mochi's auth ledger) and TLS. The twin works against any
// other MQTT broker through [Dial]; the embedded one is a convenience.
//
// Neither knows Sparkplug: a [Message] is a topic, a payload, a QoS and a
// retain flag. Callers build them with package sparkplug.
package link
