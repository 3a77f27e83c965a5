package scheduling

import "slices"

// Table is a snapshot compiled for placement. [Table.Load] reads the
// snapshot once: it interns the strings the filters compare (pool,
// replica set, engine, model id, digest, quant, each feature) into small
// integer symbols, turns features and devices into bit masks, marks the
// entries that cannot be trusted (REPLICA_INVALID: an empty or repeated
// id, a negative count) and lays out one compact record per replica.
// [Placer.PlaceIn] then decides with integer compares only, as many times
// as needed, until the next Load.
//
// A Table refers to the snapshot's slices without copying them: they must
// not change while the Table is in use. The zero value is empty and
// ready; Load reuses the Table's memory, so once it has held a snapshot
// of a size (and with as many distinct values), loading another
// allocates nothing. Not safe for concurrent use.
type Table struct {
	reps  []Replica
	pools []Pool
	recs  []rec
	syms  []modelSyms // by replica: engine, model, digest, quant
	loads []sample    // by replica: read only when saturation is gated
	ids   seen        // replica index by id: repeated ids, the session's replica
	// indexed: ids holds every replica (LoadMarked leaves it to the first
	// lookup)
	indexed bool
	// the previous replica's feature list and its mask: a snapshot's
	// replicas usually list the same features
	feats    []string
	featMask uint64

	pool, set, engine, model, digest, quant, feat symtab
}

// rec is one replica as the hot loop reads it.
type rec struct {
	free      int64
	active    int
	ctx       int
	dev       uint64 // devices 0..63
	feat      uint64 // features whose symbol is below 64
	key       uint64 // engine, model, digest, quant symbols, 16 bits each (see fWideKey)
	pool, set uint32
	flags     uint16
}

// modelSyms are a replica's engine, model id, digest and quant symbols.
type modelSyms struct{ engine, model, digest, quant uint32 }

// keyLane is the largest symbol rec.key holds; a replica with a larger
// one is marked fWideKey and compared on its modelSyms.
const keyLane = 0xfffe

func packKey(m modelSyms) (uint64, bool) {
	if m.engine > keyLane || m.model > keyLane || m.digest > keyLane || m.quant > keyLane {
		return 0, false
	}
	return uint64(m.engine) | uint64(m.model)<<16 | uint64(m.digest)<<32 | uint64(m.quant)<<48, true
}

// sample is a replica's load sample (OC-CORE-1056).
type sample struct {
	queue, kv int
	age       int64
}

// rec flags.
const (
	fInvalid    uint16 = 1 << iota // REPLICA_INVALID
	fReady                         // Ready
	fNoDev                         // reports no device
	fBigDev                        // a device number of 64 or more: masks are checked on the list
	fFull                          // no free slot
	fSampled                       // the load fields come from a sample
	fImpossible                    // a sampled load no engine can report: saturated
	fWideKey                       // a model symbol past keyLane: key is not used
	fAlways                        // set on every record (see query.slow)
)

// Load compiles snap into t, replacing what t held.
func (t *Table) Load(snap Snapshot) { t.load(snap, nil) }

// LoadMarked is Load for a caller that has already found the ids
// snap.Replicas repeats: repeated[i] must be true exactly when another
// entry carries entry i's id, as [Repeats.Mark] returns it. It spares
// Load its own search; with wrong marks, decisions are wrong.
func (t *Table) LoadMarked(snap Snapshot, repeated []bool) {
	if len(repeated) != len(snap.Replicas) {
		panic("scheduling: LoadMarked: one mark per replica")
	}
	t.load(snap, repeated)
}

func (t *Table) load(snap Snapshot, repeated []bool) {
	rs := snap.Replicas
	t.reps, t.pools = rs, snap.Pools
	for _, s := range [...]*symtab{&t.pool, &t.set, &t.engine, &t.model, &t.digest, &t.quant, &t.feat} {
		s.reset()
	}
	t.indexed = repeated == nil
	if t.indexed {
		t.ids.reset(len(rs))
	}
	t.feats, t.featMask = nil, 0
	if cap(t.recs) < len(rs) {
		t.recs = make([]rec, len(rs))
	}
	t.recs = t.recs[:len(rs)]
	if cap(t.syms) < len(rs) {
		t.syms = make([]modelSyms, len(rs))
	}
	t.syms = t.syms[:len(rs)]
	if cap(t.loads) < len(rs) {
		t.loads = make([]sample, len(rs))
	}
	t.loads = t.loads[:len(rs)]
	for i := range rs {
		r := &rs[i]
		m := modelSyms{t.engine.intern(r.Engine), t.model.intern(r.ModelID),
			t.digest.intern(r.ModelDigest), t.quant.intern(r.Quant)}
		t.syms[i] = m
		f := fAlways
		key, ok := packKey(m)
		if !ok {
			f |= fWideKey
		}
		if repeated != nil {
			if repeated[i] {
				f |= fInvalid
			}
		} else if j := t.ids.add(rs, i); j >= 0 { // every entry carrying the id is invalid
			f |= fInvalid
			t.recs[j].flags |= fInvalid
		}
		if r.ID == "" || r.ActiveSlots < 0 || r.SlotsTotal < 0 || r.FreeVRAMMB < 0 || r.CtxMaxSupported < 0 {
			f |= fInvalid // untrusted, with the device numbers below
		}
		if r.Ready {
			f |= fReady
		}
		if len(r.Devices) == 0 {
			f |= fNoDev
		}
		var dev uint64
		for _, d := range r.Devices {
			switch {
			case d < 0:
				f |= fInvalid
			case d >= 64:
				f |= fBigDev
			default:
				dev |= 1 << d
			}
		}
		if r.ActiveSlots >= r.SlotsTotal {
			f |= fFull
		}
		if r.Sampled { // the sample is read only when sampled
			f |= fSampled
			if r.KVPermille < 0 || r.KVPermille > 1000 || r.QueueDepth < 0 || r.SampleAgeMs < 0 {
				f |= fImpossible
			}
			t.loads[i] = sample{queue: r.QueueDepth, kv: r.KVPermille, age: r.SampleAgeMs}
		}
		t.recs[i] = rec{
			free: r.FreeVRAMMB, active: r.ActiveSlots, ctx: r.CtxMaxSupported, dev: dev,
			feat: t.features(r.Features), key: key,
			pool: t.pool.intern(r.PoolID), set: t.set.intern(r.ReplicaSet), flags: f,
		}
	}
}

// features returns the mask of fs (symbols below 64), reusing the
// previous replica's when the lists are equal.
func (t *Table) features(fs []string) uint64 {
	if t.feats != nil && slices.Equal(fs, t.feats) {
		return t.featMask
	}
	var m uint64
	for _, f := range fs {
		if x := t.feat.intern(f); x < 64 {
			m |= 1 << x
		}
	}
	t.feats, t.featMask = fs, m
	return m
}

// find returns the index of the first replica carrying id, or -1.
func (t *Table) find(id string) int {
	if !t.indexed {
		t.ids.reset(len(t.reps))
		for i := range t.reps {
			t.ids.add(t.reps, i)
		}
		t.indexed = true
	}
	return t.ids.find(t.reps, id)
}

// Len is the number of replicas loaded.
func (t *Table) Len() int { return len(t.recs) }

// Pools are the loaded snapshot's pools.
func (t *Table) Pools() []Pool { return t.pools }
