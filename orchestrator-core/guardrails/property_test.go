package guardrails_test

import (
	"errors"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/internal/proptest"
)

// ledger is the reference: plain lists per session, recomputed from
// scratch on every question.
type ledger struct {
	settledTokens, settledWall map[string]int64
	open                       []guardrails.Ticket
}

func (l *ledger) used(session string, now int64) (tokens, wall int64) {
	tokens, wall = l.settledTokens[session], l.settledWall[session]
	for _, t := range l.open {
		if t.Session == session {
			tokens += t.Tokens
			wall += now - t.AtMs
		}
	}
	return tokens, wall
}

// book is what the property drives: Sessions, or a broken wrapper.
type book interface {
	Admit(guardrails.Request, int64) (guardrails.Ticket, guardrails.Remaining, error)
	Settle(guardrails.Ticket, int64, int64) (guardrails.Remaining, bool)
	Remaining(string, int64) guardrails.Remaining
}

func TestPropertyLedger(t *testing.T) {
	t.Attr("req", "OC-CORE-1023")
	t.Attr("req", "OC-CORE-1024")
	rapid.Check(t, ledgerMachine(func(b guardrails.Budget) book { return guardrails.NewSessions(b) }))
}

// shortReserve under-reserves by one token: an off-by-one the property
// must catch.
type shortReserve struct{ *guardrails.Sessions }

func (s shortReserve) Admit(req guardrails.Request, now int64) (guardrails.Ticket, guardrails.Remaining, error) {
	if req.MaxNewTokens > 0 {
		req.MaxNewTokens--
	}
	return s.Sessions.Admit(req, now)
}

func TestPropertyCatchesUnderReservation(t *testing.T) {
	t.Attr("req", "OC-CORE-1023")
	failed, _ := proptest.Fails(t, ledgerMachine(func(b guardrails.Budget) book { return shortReserve{guardrails.NewSessions(b)} }))
	if !failed {
		t.Fatal("the property accepted a ledger that under-reserves")
	}
}

func ledgerMachine(newBook func(guardrails.Budget) book) func(*rapid.T) {
	return func(t *rapid.T) {
		b := guardrails.Budget{
			Tokens:             rapid.Int64Range(0, 400).Draw(t, "tokens"),
			WallMs:             rapid.Int64Range(0, 100).Draw(t, "wall"),
			CostMicros:         rapid.Int64Range(0, 2000).Draw(t, "cost"),
			CostPerTokenMicros: rapid.Int64Range(0, 5).Draw(t, "cpt"),
		}
		s := newBook(b)
		m := &ledger{settledTokens: map[string]int64{}, settledWall: map[string]int64{}}
		var now int64
		left := func(limit, used int64) int64 {
			if limit <= 0 {
				return guardrails.Unlimited
			}
			return max(limit-used, 0)
		}
		want := func(session string) guardrails.Remaining {
			tok, wall := m.used(session, now)
			return guardrails.Remaining{Tokens: left(b.Tokens, tok), WallMs: left(b.WallMs, wall), CostMicros: left(b.CostMicros, tok*b.CostPerTokenMicros)}
		}
		t.Repeat(map[string]func(*rapid.T){
			"advance": func(t *rapid.T) { now += rapid.Int64Range(0, 30).Draw(t, "ms") },
			"admit": func(t *rapid.T) {
				sess := rapid.SampledFrom([]string{"a", "b"}).Draw(t, "session")
				req := guardrails.Request{Session: sess, PromptTokens: rapid.Int64Range(0, 100).Draw(t, "prompt"), MaxNewTokens: rapid.Int64Range(0, 100).Draw(t, "new")}
				before := want(sess)
				n := req.Tokens()
				tok, wall := m.used(sess, now)
				var fail string
				switch {
				case b.Tokens > 0 && tok+n > b.Tokens:
					fail = "tokens"
				case b.WallMs > 0 && wall >= b.WallMs:
					fail = "wall_ms"
				case b.CostMicros > 0 && (tok+n)*b.CostPerTokenMicros > b.CostMicros:
					fail = "cost_micros"
				}
				tk, rem, err := s.Admit(req, now)
				var r *guardrails.Refusal
				if fail != "" {
					if !errors.As(err, &r) || r.Code != "BUDGET_EXCEEDED" || r.Budget != fail || rem != before || r.Remaining != before {
						t.Fatalf("want refusal on %s with remaining %+v; got %v, %+v", fail, before, err, rem)
					}
					return
				}
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				m.open = append(m.open, tk)
				if rem != want(sess) {
					t.Fatalf("remaining %+v, model %+v", rem, want(sess))
				}
			},
			"settle": func(t *rapid.T) {
				if len(m.open) == 0 {
					t.Skip("nothing open")
				}
				i := rapid.IntRange(0, len(m.open)-1).Draw(t, "ticket")
				tk := m.open[i]
				used := rapid.Int64Range(0, tk.Tokens).Draw(t, "used")
				m.open = append(m.open[:i], m.open[i+1:]...)
				m.settledTokens[tk.Session] += used
				m.settledWall[tk.Session] += now - tk.AtMs
				rem, ok := s.Settle(tk, used, now)
				if !ok || rem != want(tk.Session) {
					t.Fatalf("settle: ok %v remaining %+v, model %+v", ok, rem, want(tk.Session))
				}
				if _, again := s.Settle(tk, used, now); again {
					t.Fatal("ticket settled twice")
				}
			},
			"": func(t *rapid.T) {
				for _, sess := range []string{"a", "b"} {
					if got := s.Remaining(sess, now); got != want(sess) {
						t.Fatalf("%s: remaining %+v, model %+v", sess, got, want(sess))
					}
				}
			},
		})
	}
}
