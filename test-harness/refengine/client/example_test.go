package client_test

import (
	"context"
	"fmt"

	"orchcore.dev/test-harness/refengine/client"
	"orchcore.dev/test-harness/refengine/server"
)

func ExampleClient_Complete() {
	s, _ := server.New(server.Options{})
	url, _ := s.Start("127.0.0.1:0")
	defer s.Close()

	c := client.New(url, client.LlamaCpp)
	res, err := c.Complete(context.Background(), client.Request{
		Prompt: "The tide", NPredict: 5, Seed: 42,
		Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(res.Tokens), res.StopType, res.Settings["seed"])
	// Output: 5 limit 42
}
