package guardrails

import (
	"orchcore.dev/orchestrator-core/internal/churn"
	"orchcore.dev/orchestrator-core/internal/lru"
)

// DefaultIdleSessions bounds the idle session accounts a ledger keeps when
// no other bound is given (OC-CORE-1054).
const DefaultIdleSessions = 1 << 16

// Budget is a session's allowance; a field <= 0 is not configured.
type Budget struct {
	Tokens             int64
	WallMs             int64
	CostMicros         int64
	CostPerTokenMicros int64
}

// Ticket is one admitted request's reservation.
type Ticket struct {
	ID         uint64 // 0 when nothing was reserved
	Session    string
	Tokens     int64
	CostMicros int64
	AtMs       int64
}

// Sessions is the ledger of per-session budgets. The zero value is a
// ledger with no budget configured, ready to use.
//
// Memory is bounded (OC-CORE-1054): an account with an open reservation
// is live and always kept; an idle one (every reservation settled) goes
// into a least-recently-used table of at most the idle bound, and the
// least recently settled idle account is forgotten when it overflows. A
// forgotten session starts fresh: its next request sees the whole budget
// again, as a session never seen would. So the bound should exceed the
// number of sessions that are idle at once within the time budgets are
// meant to span.
type Sessions struct {
	budget Budget
	seq    uint64
	live   churn.Map[string, *account]
	idle   *lru.List[*account]
	bound  int
}

type account struct {
	tokens, cost, wall int64            // settled plus reserved (wall: settled)
	open               map[uint64]int64 // ticket id -> admitted at
}

// NewSessions returns a ledger where every session has budget b, keeping
// at most DefaultIdleSessions idle accounts.
func NewSessions(b Budget) *Sessions { return NewBoundedSessions(b, DefaultIdleSessions) }

// NewBoundedSessions is NewSessions keeping at most idle idle accounts
// (at least 1).
func NewBoundedSessions(b Budget, idle int) *Sessions {
	return &Sessions{budget: b, bound: max(idle, 1)}
}

// Len returns how many accounts the ledger holds, live and idle.
func (s *Sessions) Len() int {
	n := s.live.Len()
	if s.idle != nil {
		n += s.idle.Len()
	}
	return n
}

// Admit charges req's worst case to its session if every configured
// budget allows it; otherwise it returns a BUDGET_EXCEEDED *Refusal and
// charges nothing. Remaining is returned either way.
//
// A request without a session ("") is not subject to session budgets.
func (s *Sessions) Admit(req Request, nowMs int64) (Ticket, Remaining, error) {
	if req.Session == "" {
		return Ticket{}, unlimited, nil
	}
	a := s.account(req.Session)
	rem := s.remainingOf(a, nowMs)
	n := req.Tokens()
	cost := mul(n, max(s.budget.CostPerTokenMicros, 0))
	refuse := func(budget string, limit, requested int64) (Ticket, Remaining, error) {
		s.unlive(req.Session, a)
		return Ticket{}, rem, &Refusal{Code: CodeBudgetExceeded, Budget: budget, Limit: limit, Requested: requested, Remaining: rem}
	}
	switch {
	case s.budget.Tokens > 0 && n > rem.Tokens:
		return refuse(BudgetTokens, s.budget.Tokens, n)
	case s.budget.WallMs > 0 && rem.WallMs <= 0:
		return refuse(BudgetWallMs, s.budget.WallMs, s.usedWall(a, nowMs))
	case s.budget.CostMicros > 0 && cost > rem.CostMicros:
		return refuse(BudgetCostMicros, s.budget.CostMicros, cost)
	}
	s.seq++
	t := Ticket{ID: s.seq, Session: req.Session, Tokens: n, CostMicros: cost, AtMs: nowMs}
	a.tokens = add(a.tokens, n)
	a.cost = add(a.cost, cost)
	if a.open == nil {
		a.open = map[uint64]int64{}
	}
	a.open[t.ID] = nowMs
	return t, s.remainingOf(a, nowMs), nil
}

// Settle closes t: the reservation is replaced by usedTokens (and their
// cost), and the time since admission is added to the session's wall
// time. It returns false for a ticket that is not open (already settled,
// or zero), changing nothing.
func (s *Sessions) Settle(t Ticket, usedTokens, nowMs int64) (Remaining, bool) {
	a, ok := s.live.Get(t.Session)
	if !ok {
		return s.Remaining(t.Session, nowMs), false
	}
	at, ok := a.open[t.ID]
	if !ok {
		return s.remainingOf(a, nowMs), false
	}
	delete(a.open, t.ID)
	defer s.retire(t.Session, a)
	used := max(usedTokens, 0)
	a.tokens = add(add(a.tokens, -t.Tokens), used)
	a.cost = add(add(a.cost, -t.CostMicros), mul(used, max(s.budget.CostPerTokenMicros, 0)))
	a.wall = add(a.wall, max(nowMs-at, 0))
	return s.remainingOf(a, nowMs), true
}

// Remaining returns what session may still spend at nowMs.
func (s *Sessions) Remaining(session string, nowMs int64) Remaining {
	if a, ok := s.find(session); ok {
		return s.remainingOf(a, nowMs)
	}
	return s.remainingOf(&account{}, nowMs)
}

// Forget drops session's account (for example when the session ends).
func (s *Sessions) Forget(session string) {
	s.live.Delete(session)
	if s.idle != nil {
		s.idle.Delete(session)
	}
}

func (s *Sessions) find(session string) (*account, bool) {
	if a, ok := s.live.Get(session); ok {
		return a, true
	}
	if s.idle != nil {
		return s.idle.Get(session)
	}
	return nil, false
}

// account returns session's account as a live one (Admit is about to open
// a reservation on it).
func (s *Sessions) account(session string) *account {
	if a, ok := s.live.Get(session); ok {
		return a
	}
	a, ok := s.find(session)
	if ok {
		s.idle.Delete(session)
	} else {
		a = &account{}
	}
	s.live.Set(session, a)
	return a
}

// unlive undoes the move of a to the live table for a refused request,
// which reserved nothing: an account without an open reservation goes
// back to the idle table, or is dropped when it holds nothing (it reads
// as a session never seen). Without this, every refused request of a new
// session would leave a live account that nothing ever retires.
func (s *Sessions) unlive(session string, a *account) {
	if len(a.open) > 0 {
		return
	}
	if a.tokens == 0 && a.cost == 0 && a.wall == 0 {
		s.live.Delete(session)
		return
	}
	s.retire(session, a)
}

// retire moves a after a settlement to the idle table once it has no open
// reservation; the least recently settled idle account beyond the bound
// is forgotten.
func (s *Sessions) retire(session string, a *account) {
	if len(a.open) > 0 {
		return
	}
	s.live.Delete(session)
	a.open = nil // an idle account keeps no map
	if s.idle == nil {
		b := s.bound
		if b == 0 { // the zero Sessions
			b = DefaultIdleSessions
		}
		s.idle = lru.New[*account](b, nil)
	}
	s.idle.Put(session, a)
}

func (s *Sessions) usedWall(a *account, nowMs int64) int64 {
	w := a.wall
	for _, at := range a.open {
		w = add(w, max(nowMs-at, 0))
	}
	return w
}

func (s *Sessions) remainingOf(a *account, nowMs int64) Remaining {
	left := func(limit, used int64) int64 {
		if limit <= 0 {
			return Unlimited
		}
		return max(limit-used, 0)
	}
	return Remaining{
		Tokens:     left(s.budget.Tokens, a.tokens),
		WallMs:     left(s.budget.WallMs, s.usedWall(a, nowMs)),
		CostMicros: left(s.budget.CostMicros, a.cost),
	}
}
