using System.Collections.Concurrent;
using System.Diagnostics;

namespace Friture.Streaming.Engine;

/// <summary>
/// The process-wide delivery threads that consumers share: a consumer with messages waiting is queued once, and an
/// idle worker takes it and delivers everything it has.
/// </summary>
/// <remarks>
/// <para>
/// Why shared threads: with one sleeping thread per consumer, the publishing thread (the capture thread in a live
/// pipeline) had to wake every consumer's thread with a system call for every message, about 5 us per consumer per
/// message on a 2-core VM: 0.6 ms of capture-thread CPU per message with 100 consumers (docs/performance-pipeline.md).
/// Here a publish costs an interlocked flag per consumer, and at most one wake-up when a worker sleeps; a woken worker
/// drains every queued consumer before it sleeps again.
/// </para>
/// <para>
/// Why not the thread pool: a pool worker spins (sched_yield) after each work item looking for more, and at a few
/// hundred messages a second that spinning cost more CPU than the analysis. These workers block on a monitor without
/// spinning, so an idle process costs nothing.
/// </para>
/// <para>
/// A consumer whose delivery is slow (it blocks, or completes asynchronously) is moved to a thread of its own by its
/// <see cref="ConsumerRunner"/>, so it cannot hold up the others. Until it returns from that first slow call it holds a
/// worker; when every worker has been inside one delivery for longer than <see cref="StuckAfter"/>, a publish starts
/// another worker (up to <see cref="MaxWorkers"/>), and extra workers end after a second without work.
/// </para>
/// </remarks>
internal sealed class DeliveryWorkers : IDeferredWake
{
    /// <summary>The most threads the shared workers grow to while consumers block them.</summary>
    public const int MaxWorkers = 64;

    /// <summary>How long a worker may stay inside one delivery before a publish adds a worker beside it.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMilliseconds(20);

    private static readonly long StuckTicks = (long)(StuckAfter.TotalSeconds * Stopwatch.Frequency);
    private static readonly long StuckCheckIntervalMs = (long)StuckAfter.TotalMilliseconds;
    private static readonly TimeSpan ExtraWorkerIdleTimeout = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<ConsumerRunner> _ready = new();
    private readonly object _gate = new();
    private readonly Worker?[] _workers = new Worker?[MaxWorkers];
    private readonly int _baseWorkers;
    private int _idle;
    private long _lastStuckCheck;

    private DeliveryWorkers(int baseWorkers)
    {
        _baseWorkers = baseWorkers;
    }

    /// <summary>The workers every <see cref="StreamingApi"/> in the process shares; threads start on first use.</summary>
    public static DeliveryWorkers Shared { get; } = new(Math.Clamp(Environment.ProcessorCount, 2, 8));

    /// <summary>The number of worker threads alive now.</summary>
    public int WorkerCount
    {
        get
        {
            var count = 0;
            for (var i = 0; i < _workers.Length; i++)
            {
                if (Volatile.Read(ref _workers[i]) is not null)
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <summary>Queues a runner that has messages or requests waiting. The caller owns the runner's scheduled flag.</summary>
    /// <param name="runner">The runner.</param>
    /// <param name="deferWake">
    /// Inside a <see cref="DeferredWakes"/> scope, wake a worker when the scope closes rather than now: the runners
    /// queued by one audio block then cost one wake-up, and the woken worker delivers them all.
    /// </param>
    public void Schedule(ConsumerRunner runner, bool deferWake = false)
    {
        _ready.Enqueue(runner);
        if (deferWake && DeferredWakes.TryDefer(this))
        {
            return;
        }

        Wake();
    }

    /// <summary>Wakes an idle worker for the queued runners, or starts one when none is idle and all are stuck.</summary>
    public void Wake()
    {
        // The enqueue is an interlocked operation (a full fence), so this read sees a worker that went idle before it;
        // a worker going idle after it re-checks the queue under the gate and finds the runner.
        if (Volatile.Read(ref _idle) > 0)
        {
            lock (_gate)
            {
                Monitor.Pulse(_gate);
            }
        }
        else
        {
            GrowIfNeeded();
        }
    }

    /// <summary>
    /// Called on a publish that found its consumer already queued or being delivered: when no worker is idle, checks
    /// at most once per <see cref="StuckAfter"/> (a coarse clock read otherwise) whether every worker is stuck in one delivery.
    /// </summary>
    public void OnBacklog()
    {
        if (Volatile.Read(ref _idle) > 0)
        {
            return;
        }

        var now = Environment.TickCount64;
        var last = Volatile.Read(ref _lastStuckCheck);
        if (now - last >= StuckCheckIntervalMs && Interlocked.CompareExchange(ref _lastStuckCheck, now, last) == last)
        {
            GrowIfNeeded();
        }
    }

    private void GrowIfNeeded()
    {
        var now = Stopwatch.GetTimestamp();
        var free = -1;
        var started = false;
        for (var i = 0; i < _workers.Length; i++)
        {
            var worker = Volatile.Read(ref _workers[i]);
            if (worker is null)
            {
                if (i < _baseWorkers)
                {
                    // First use: the base workers start together and then live as long as the process.
                    Start(i);
                    started = true;
                    continue;
                }

                free = free < 0 ? i : free;
                continue;
            }

            var busySince = Volatile.Read(ref worker.BusySince);
            if (busySince == 0 || now - busySince < StuckTicks)
            {
                // This worker will come back to the queue soon.
                return;
            }
        }

        if (!started && free >= 0)
        {
            Start(free);
        }
    }

    private void Start(int slot)
    {
        lock (_gate)
        {
            if (_workers[slot] is not null)
            {
                return;
            }

            var worker = new Worker(slot);
            Volatile.Write(ref _workers[slot], worker);
            var thread = new Thread(() => Work(worker))
            {
                IsBackground = true,
                Name = "Friture.Streaming delivery",
            };
            thread.Start();
        }
    }

    private void Work(Worker worker)
    {
        while (true)
        {
            while (_ready.TryDequeue(out var runner))
            {
                runner.RunShared(worker);
                Volatile.Write(ref worker.BusySince, 0);
            }

            lock (_gate)
            {
                Interlocked.Increment(ref _idle);
                var woken = true;
                if (_ready.IsEmpty)
                {
                    woken = worker.Slot < _baseWorkers
                        ? Monitor.Wait(_gate)
                        : Monitor.Wait(_gate, ExtraWorkerIdleTimeout);
                }

                Interlocked.Decrement(ref _idle);
                if (!woken && _ready.IsEmpty)
                {
                    // An extra worker with nothing to do for a second ends.
                    Volatile.Write(ref _workers[worker.Slot], null);
                    return;
                }
            }
        }
    }

    /// <summary>One worker thread's state, read by publishers deciding whether the workers are stuck.</summary>
    internal sealed class Worker(int slot)
    {
        /// <summary>Stopwatch timestamp at which the current delivery started; 0 between deliveries.</summary>
        public long BusySince;

        public int Slot { get; } = slot;
    }
}
