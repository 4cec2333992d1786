package main

import "os"

func main() {
	os.Exit(execute(os.Args[1:], os.Stderr, func(o *options, s *setup) error {
		return openWindow(o, s, os.Stdout)
	}))
}
