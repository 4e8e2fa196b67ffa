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
