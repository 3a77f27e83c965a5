package server_test

import (
	"fmt"
	"net/http"

	"orchcore.dev/test-harness/refengine/server"
)

func ExampleServer_Start() {
	s, err := server.New(server.Options{Parallel: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	resp, err := http.Get(url + "/health")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, server.EngineVersion, server.SamplerProfileVersion)
	// Output: 200 refengine-0.1.0 refengine-sampler/1
}
