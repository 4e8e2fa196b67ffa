package worker

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"time"
)

type Job struct{ ID, Status string }

func drain(jobs <-chan Job, run func(Job)) {
	for {
		// ruleid: polling-loop-without-delay
		select {
		case job := <-jobs:
			run(job)
		default:
		}
	}
}

func waitReady(ready *atomic.Bool) {
	// ruleid: polling-loop-without-delay
	for !ready.Load() {
	}
}

func waitForExport(c *http.Client, url string) (Job, error) {
	var job Job
	// ruleid: polling-loop-without-delay
	for {
		resp, err := c.Get(url)
		if err != nil {
			return job, err
		}
		err = json.NewDecoder(resp.Body).Decode(&job)
		resp.Body.Close()
		if err != nil || job.Status == "done" {
			return job, err
		}
	}
}

func drainUntilDone(ctx context.Context, jobs <-chan Job, run func(Job)) {
	for {
		// ok: polling-loop-without-delay
		select {
		case job := <-jobs:
			run(job)
		case <-ctx.Done():
			return
		}
	}
}

func publish(subs []chan Job, job Job) {
	for _, sub := range subs {
		// Non-blocking send: a slow subscriber misses the event.
		// ok: polling-loop-without-delay
		select {
		case sub <- job:
		default:
		}
	}
}

func waitForExportPolitely(ctx context.Context, c *http.Client, url string) (Job, error) {
	var job Job
	// ok: polling-loop-without-delay
	for {
		resp, err := c.Get(url)
		if err != nil {
			return job, err
		}
		err = json.NewDecoder(resp.Body).Decode(&job)
		resp.Body.Close()
		if err != nil || job.Status == "done" {
			return job, err
		}
		select {
		case <-ctx.Done():
			return job, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

func countDown(n *int32) {
	// ok: polling-loop-without-delay
	for atomic.AddInt32(n, -1) > 0 {
		time.Sleep(time.Millisecond)
	}
}

func drainLines(s *bufio.Scanner) {
	// The condition does the work: reading, not waiting.
	// ok: polling-loop-without-delay
	for s.Scan() {
	}
}

func notifyWithRetry(ctx context.Context, tick <-chan time.Time, notify func() error) error {
	for {
		// A non-blocking cancellation check before a blocking select.
		// ok: polling-loop-without-delay
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		select {
		case <-tick:
			if notify() == nil {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

type TaskLister interface {
	HasMorePages() bool
	NextPage(ctx context.Context) ([]string, error)
	DescribeTasks(ctx context.Context, ids []string) ([]string, error)
}

func runningTasks(ctx context.Context, pages TaskLister) ([]string, error) {
	var running []string
	// An SDK paginator reads the next page of one listing; it does not wait for a state to change.
	// ok: polling-loop-without-delay
	for pages.HasMorePages() {
		ids, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		described, err := pages.DescribeTasks(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, d := range described {
			if d == "RUNNING" {
				running = append(running, d)
			}
		}
	}
	return running, nil
}

type Task struct{ State string }

type Matcher interface {
	pollTask(ctx context.Context, queue string) (*Task, error)
	GetTaskState(ctx context.Context, t *Task) (string, error)
}

func nextStartedTask(ctx context.Context, m Matcher, queue string) (*Task, error) {
	// A long poll: each turn blocks in pollTask until a task arrives or the context ends.
	// ok: polling-loop-without-delay
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		task, err := m.pollTask(ctx, queue)
		if err != nil {
			return nil, err
		}
		state, err := m.GetTaskState(ctx, task)
		if err == nil && state == "RUNNING" {
			return task, nil
		}
	}
}

type WorkflowChannel interface {
	Receive(ctx context.Context, v any) bool
}

type Client interface {
	GetJobStatus(ctx context.Context, id string) (string, error)
}

func trackJobs(ctx context.Context, ch WorkflowChannel, c Client, done map[string]bool) {
	var id string
	// An iterator: Receive blocks until the next item is sent.
	// ok: polling-loop-without-delay
	for ch.Receive(ctx, &id) {
		status, err := c.GetJobStatus(ctx, id)
		if err == nil && status == "complete" {
			done[id] = true
		}
	}
}

type Timer struct {
	Deadline time.Time
	Pending  bool
}

type TimerStore interface {
	GetTimerState(id int) (string, error)
}

func fireExpired(store TimerStore, timers []Timer, now time.Time) {
	// Works through an in-memory list, one timer per turn.
	// ok: polling-loop-without-delay
	for len(timers) > 0 {
		if now.Before(timers[0].Deadline) {
			return
		}
		if state, _ := store.GetTimerState(0); state == "pending" {
			timers[0].Pending = false
		}
		timers = timers[1:]
	}
}

type Op func(ctx context.Context, addr string) error

type Router interface {
	Owner(err error) (string, bool)
	GetConnState(addr string) string
}

func redirect(ctx context.Context, r Router, addr string, op Op) error {
	// Follows ownership redirects to a new address each turn: it stops when the operation succeeds.
	// ok: polling-loop-without-delay
	for {
		opErr := op(ctx, addr)
		if opErr == nil {
			return nil
		}
		if r.GetConnState(addr) == "SHUTDOWN" {
			return opErr
		}
		next, again := r.Owner(opErr)
		if !again {
			return opErr
		}
		addr = next
	}
}

type Deployer interface {
	GetDeploymentStatus(ctx context.Context, id string) (string, error)
}

func waitDeployed(ctx context.Context, d Deployer, id string) error {
	// ruleid: polling-loop-without-delay
	for {
		status, err := d.GetDeploymentStatus(ctx, id)
		if err != nil {
			return err
		}
		if status == "SUCCEEDED" {
			return nil
		}
	}
}
