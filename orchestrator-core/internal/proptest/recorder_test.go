package proptest

import "testing"

// FailNow and Fatalf end only the goroutine they run on, after
// recording the failure and its first message.
func TestRecorderFailNowEndsItsGoroutine(t *testing.T) {
	for name, stop := range map[string]func(*recorder){
		"FailNow": func(r *recorder) { r.Errorf("first %d", 1); r.FailNow() },
		"Fatalf":  func(r *recorder) { r.Fatalf("first %d", 1) },
		"Fatal":   func(r *recorder) { r.Fatal("first ", 1) },
	} {
		t.Run(name, func(t *testing.T) {
			r := &recorder{name: t.Name()}
			reached := false
			done := make(chan struct{})
			go func() {
				defer close(done)
				stop(r)
				r.Error("second")
				reached = true
			}()
			<-done
			if reached {
				t.Error("code after the stop ran")
			}
			if failed, first := r.result(); !failed || first != "first 1" {
				t.Errorf("result = (%v, %q), want (true, %q)", failed, first, "first 1")
			}
		})
	}
}

func TestRecorderKeepsFirstMessage(t *testing.T) {
	r := &recorder{}
	if r.Failed() {
		t.Fatal("a fresh recorder reports failure")
	}
	r.Fail()
	r.Errorf("a %s", "b")
	r.Error("c")
	if failed, first := r.result(); !failed || first != "a b" {
		t.Errorf("result = (%v, %q), want (true, %q)", failed, first, "a b")
	}
}
