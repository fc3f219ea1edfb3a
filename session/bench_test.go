package session_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lokaalbestuur/bouwstenen/session"
)

func BenchmarkLoad(b *testing.B) {
	st := session.NewMemStore()
	m := &session.Manager{Store: st}
	// 10,000 other sessions, so the lookup is not in an empty map.
	for i := range 10_000 {
		rec := httptest.NewRecorder()
		if _, err := m.Create(rec, httptest.NewRequest("GET", "/", nil), session.Data{Subject: fmt.Sprint("sub-", i)}); err != nil {
			b.Fatal(err)
		}
	}
	rec := httptest.NewRecorder()
	if _, err := m.Create(rec, httptest.NewRequest("GET", "/", nil), session.Data{Subject: "demo-jan", IDToken: strings.Repeat("x", 900)}); err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(rec.Result().Cookies()[0])
	b.ReportAllocs()
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.Load(req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			r := req.Clone(req.Context())
			for pb.Next() {
				if _, err := m.Load(r); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
