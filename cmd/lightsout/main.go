package main

import "os"

// version is the release, set at build time with
// -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr, version))
}
