package memo

import (
	"encoding/json"
	"reflect"
	"sync"
)

// Docs remembers JSON documents decoded into values of type T, by their
// bytes: the same bytes always decode to the same value, so a value
// remembered is never stale, whoever wrote the row and whenever. A store
// that reads the same unchanged documents again (a person's dossiers, on
// every visit) decodes each once; what it hands out are deep copies
// (Copy), so a caller that changes one changes nothing remembered.
type Docs[T any] struct {
	mu  sync.Mutex
	m   map[string]T
	max int
}

// NewDocs returns a memo that holds at most max documents; when it is
// full, a new one replaces an arbitrary one.
func NewDocs[T any](max int) *Docs[T] {
	return &Docs[T]{m: make(map[string]T, max), max: max}
}

// Decode returns the value raw decodes to: a copy of the one remembered,
// or decoded (json.Unmarshal) and remembered.
func (d *Docs[T]) Decode(raw []byte) (T, error) {
	d.mu.Lock()
	v, ok := d.m[string(raw)] // no copy of raw for the lookup
	d.mu.Unlock()
	if ok {
		return Copy(v), nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, err
	}
	kept := Copy(v)
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.m[string(raw)]; !ok && len(d.m) >= d.max {
		for old := range d.m { // the iteration order is random: evict one
			delete(d.m, old)
			break
		}
	}
	d.m[string(raw)] = kept
	return v, nil
}

// Len returns how many documents the memo holds.
func (d *Docs[T]) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.m)
}

// Copy returns a deep copy of v: every slice, map, pointer and interface
// reachable through exported fields is copied. Unexported fields are
// copied as they are: those of the types documents hold (time.Time's
// location, decimal.Decimal's digits) are never changed in place.
func Copy[T any](v T) T {
	var out T
	copyValue(reflect.ValueOf(&out).Elem(), reflect.ValueOf(&v).Elem())
	return out
}

func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		if plain(src.Type().Elem()) {
			reflect.Copy(s, src)
		} else {
			for i := range src.Len() {
				copyValue(s.Index(i), src.Index(i))
			}
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			v := reflect.New(src.Type().Elem()).Elem()
			copyValue(v, it.Value())
			m.SetMapIndex(it.Key(), v) // keys are comparable: strings, IDs
		}
		dst.Set(m)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		v := reflect.New(src.Elem().Type()).Elem()
		copyValue(v, src.Elem())
		dst.Set(v)
	case reflect.Struct:
		dst.Set(src) // unexported fields as they are
		for i := range src.NumField() {
			if f := dst.Field(i); f.CanSet() && !plain(f.Type()) {
				copyValue(f, src.Field(i))
			}
		}
	case reflect.Array:
		dst.Set(src)
		if !plain(src.Type().Elem()) {
			for i := range src.Len() {
				copyValue(dst.Index(i), src.Index(i))
			}
		}
	default:
		dst.Set(src)
	}
}

// plain reports whether a value of type t holds nothing that copying it
// would share: no pointer, slice, map or interface, as in a string, a
// number or a UUID.
func plain(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Struct, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return false
	case reflect.Array:
		return plain(t.Elem())
	}
	return true
}
