package entitlement_test

import (
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// exprEnv is the same subject for expr: expr has no notion of unknown, so
// missing income is passed as a flag and tested explicitly, as a
// hand-written rule would have to.
type exprEnv struct {
	Resident, Allowance, Debt, IncomeKnown bool
	Income                                 int64
	Birth, Ref                             int64
	LEZ                                    int64
	Members                                []bool
}

var exprRules = []string{
	`Resident && (Allowance || any(Members, #) || Debt || (IncomeKnown && Income <= 2500000))`,
	`Resident && Ref - Birth < 120000 && (Allowance || any(Members, #) || (IncomeKnown && Income <= 3000000))`,
	`Resident && Ref - Birth >= 180000 && LEZ == 2 && (Allowance || any(Members, #) || Debt)`,
}

// BenchmarkEvaluateExpr evaluates the three shipped rules written for
// github.com/expr-lang/expr over the same subjects as BenchmarkEvaluateCompiled.
func BenchmarkEvaluateExpr(b *testing.B) {
	_, synths := evalPopulation()
	progs := make([]*vm.Program, len(exprRules))
	for i, r := range exprRules {
		p, err := expr.Compile(r, expr.Env(exprEnv{}), expr.AsBool())
		if err != nil {
			b.Fatal(err)
		}
		progs[i] = p
	}
	envs := make([]exprEnv, len(synths))
	for i, s := range synths {
		envs[i] = exprEnv{Resident: s.resident, Allowance: s.allowance, Debt: s.debt, IncomeKnown: s.incomeKnown,
			Income: s.income, Birth: s.birth, Ref: 20260301, LEZ: s.lez, Members: s.members[:s.nMembers]}
	}
	var machine vm.VM
	b.ReportAllocs()
	eligible := 0
	for b.Loop() {
		for i := range envs {
			for _, p := range progs {
				out, err := machine.Run(p, envs[i])
				if err != nil {
					b.Fatal(err)
				}
				if out.(bool) {
					eligible++
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/evalN, "ns/subject")
}
