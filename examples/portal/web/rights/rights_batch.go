package rights

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// decisionRef is the decision the demo's automatic grants rest on.
const decisionRef = "VOORBEELD collegebesluit proactieve dienstverlening van 1 december 2025"

// BatchRun is one run of the proactive batch over the demo population.
// Its fields are guarded by rights.mu.
type BatchRun struct {
	No                int
	Started, Finished time.Time
	Total, Done       int
	Running           bool
	Report            entitlement.RunReport
	Err               error
}

// begin registers a new run, or returns nil when one is running.
func (rt *rights) begin() *BatchRun {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.last != nil && rt.last.Running {
		return nil
	}
	rt.runs++
	run := &BatchRun{No: rt.runs, Started: time.Now(), Total: rt.register.size(rt.runs), Running: true}
	rt.last = run
	return run
}

// execute runs the batch for run and records its report; pace slows the
// population down (nil: full speed).
func (rt *rights) execute(ctx context.Context, run *BatchRun, pace func(int)) {
	today := calendar.DateIn(time.Now())
	rep, err := rt.svc.Run(ctx, rt.register.population(run.No, pace), entitlement.RunOptions{
		Date: today, Actor: fmt.Sprintf("batch:%s#%d", today, run.No), DecisionRef: decisionRef,
		OnProgress: func(done int) {
			rt.mu.Lock()
			run.Done = done
			rt.mu.Unlock()
		},
	})
	rt.mu.Lock()
	run.Running, run.Finished, run.Report, run.Err = false, time.Now(), rep, err
	rt.mu.Unlock()
	// Counts only: subject IDs are national numbers.
	rt.log.Info("proactive run", "run", run.No, "subjects", rep.Batch.Subjects, "granted", rep.Granted, "ending", rep.Ending,
		"reinstated", rep.Reinstated, "ended", rep.Ended, "unknown", len(rep.Unknown), "faulty", len(rep.Faulty), "absent", len(rep.Absent), "err", err)
}

// batchStart starts a run in the background and sends the clerk to the page
// that follows it.
func (a *Block) batchStart(w http.ResponseWriter, r *http.Request, _ *person) {
	rt := a.rights
	if run := rt.begin(); run != nil {
		go rt.execute(rt.ctx, run, rt.pace)
		a.site.Flash(w, r, "De toekenningsronde is gestart.")
	} else {
		a.site.Flash(w, r, "Er loopt al een toekenningsronde; wacht tot die klaar is.")
	}
	http.Redirect(w, r, "/balie/rechten", http.StatusSeeOther)
}

// runView is a run as the clerk's page shows it.
type runView struct {
	No                            int
	Running                       bool
	Started, Finished             time.Time
	Done, Total, Percent          int
	DoneText, TotalText, Duration string
	// StartedText is when the run started, in words: "1 december 2026 om 14:05".
	StartedText                         string
	Subjects, FaultySubjects            string
	Granted, Ending, Reinstated, Ended  int
	Skipped, Unknown, Faulty, Absent    int
	UnknownList, FaultyList, AbsentList []string
	Benefits                            []benefitCounts
	Error                               string
}

// benefitCounts is one benefit's line of the run report.
type benefitCounts struct {
	Name                                               string
	New, Still, NoLonger, Unknown, Faulty, NotEntitled string
}

// sampleSize is how many subjects of each list the report shows.
const sampleSize = 10

// thousands writes n with a dot every three digits, the Dutch way.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (rt *rights) view(run *BatchRun) *runView {
	if run == nil {
		return nil
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	v := &runView{No: run.No, Running: run.Running, Started: run.Started, Finished: run.Finished, Done: run.Done, Total: run.Total,
		DoneText: thousands(run.Done), TotalText: thousands(run.Total), StartedText: frontoffice.DateTime(run.Started)}
	if run.Total > 0 {
		v.Percent = 100 * run.Done / run.Total
	}
	if run.Running {
		return v
	}
	rep := run.Report
	v.Duration = strings.Replace(fmt.Sprintf("%.1f s", run.Finished.Sub(run.Started).Seconds()), ".", ",", 1)
	v.Subjects, v.FaultySubjects = thousands(rep.Batch.Subjects), thousands(rep.Batch.Faulty)
	v.Granted, v.Ending, v.Reinstated, v.Ended, v.Skipped = rep.Granted, rep.Ending, rep.Reinstated, rep.Ended, rep.Skipped
	v.Unknown, v.Faulty, v.Absent = len(rep.Unknown), len(rep.Faulty), len(rep.Absent)
	name := func(id string) string {
		b, _ := rt.rules.Benefit(id)
		return b.NameNL
	}
	for _, u := range rep.Unknown[:min(sampleSize, len(rep.Unknown))] {
		missing := make([]string, len(u.Missing))
		for i, m := range u.Missing {
			missing[i] = rt.factLabel(m)
		}
		v.UnknownList = append(v.UnknownList, subjectLabel(u.SubjectID)+" – "+name(u.Benefit)+": "+strings.Join(missing, ", "))
	}
	for _, f := range rep.Faulty[:min(sampleSize, len(rep.Faulty))] {
		msg := f.Error
		if strings.Contains(msg, "contradictory facts") {
			msg = "tegenstrijdige gegevens uit twee bronnen"
		}
		v.FaultyList = append(v.FaultyList, subjectLabel(f.SubjectID)+" – "+name(f.Benefit)+": "+msg)
	}
	for _, h := range rep.Absent[:min(sampleSize, len(rep.Absent))] {
		v.AbsentList = append(v.AbsentList, subjectLabel(h.SubjectID)+" – "+name(h.Benefit))
	}
	for _, b := range rt.rules.Benefits() {
		c := rep.Batch.Counts[b.ID]
		if c == nil {
			continue
		}
		v.Benefits = append(v.Benefits, benefitCounts{Name: b.NameNL, New: thousands(c[entitlement.NewlyEntitled]),
			Still: thousands(c[entitlement.StillEntitled]), NoLonger: thousands(c[entitlement.NoLongerEntitled]),
			Unknown: thousands(c[entitlement.MissingData]), Faulty: thousands(c[entitlement.Faulty]), NotEntitled: thousands(c[entitlement.NotEntitled])})
	}
	if run.Err != nil {
		v.Error = "De toekenningsronde is afgebroken; wat al toegekend was blijft. Probeer het opnieuw of bekijk het logboek."
	}
	return v
}

// rightsBatchPage is the data of the clerk's page of the batch.
type rightsBatchPage struct {
	// Run is the running batch or the last one; nil before the first.
	Run      *runView
	Benefits []entitlement.Benefit
	// Named and Generated are how many people the register has by name
	// and generated for the load.
	Named, Generated string
}

// RefreshSeconds reloads the page every second while the batch runs.
func (p rightsBatchPage) RefreshSeconds() int {
	if p.Run != nil && p.Run.Running {
		return 1
	}
	return 0
}

// batchPage shows the running batch with its progress, refreshing itself
// every second, or the report of the last run.
func (a *Block) batchPage(w http.ResponseWriter, r *http.Request, _ *person) {
	rt := a.rights
	rt.mu.Lock()
	last := rt.last
	rt.mu.Unlock()
	v := rt.view(last)
	a.show(w, r, http.StatusOK, "rights_batch.html", "Proactieve rechten (balie)", rightsBatchPage{Run: v, Benefits: rt.rules.Benefits(),
		Named: thousands(len(rt.register.order)), Generated: thousands(rt.register.generated)})
}
