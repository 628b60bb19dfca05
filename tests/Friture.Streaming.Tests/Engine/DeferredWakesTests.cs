using Friture.Streaming.Engine;

namespace Friture.Streaming.Tests.Engine;

/// <summary>Wake-ups deferred inside a scope are made once each, in order, when the outermost scope closes.</summary>
public sealed class DeferredWakesTests
{
    [Fact]
    public void TryDefer_OutsideAScope_ReturnsFalseAndWakesNothing()
    {
        var target = new Target("a", []);
        Assert.False(DeferredWakes.IsOpen);
        Assert.False(DeferredWakes.TryDefer(target));
        Assert.Equal(0, target.Wakes);
    }

    [Fact]
    public void Close_WakesEachTargetOnceInTheOrderFirstDeferred()
    {
        var log = new List<string>();
        var a = new Target("a", log);
        var b = new Target("b", log);
        DeferredWakes.Open();
        Assert.True(DeferredWakes.TryDefer(a));
        Assert.True(DeferredWakes.TryDefer(b));
        Assert.True(DeferredWakes.TryDefer(a));
        Assert.Empty(log);
        DeferredWakes.Close();

        Assert.Equal(["a", "b"], log);
        Assert.False(DeferredWakes.IsOpen);

        // The scope is gone: the next defer is refused, and nothing is woken twice.
        Assert.False(DeferredWakes.TryDefer(a));
        Assert.Equal(1, a.Wakes);
    }

    [Fact]
    public void Close_Nested_OnlyTheOutermostWakes()
    {
        var log = new List<string>();
        var a = new Target("a", log);
        DeferredWakes.Open();
        DeferredWakes.Open();
        DeferredWakes.TryDefer(a);
        DeferredWakes.Close();
        Assert.Empty(log);
        Assert.True(DeferredWakes.IsOpen);
        DeferredWakes.Close();
        Assert.Equal(["a"], log);
    }

    [Fact]
    public void Close_AWakeThatDefersAnother_MakesItInTheSameClose()
    {
        // The delivery workers rely on this: each runner woken at the end of a block queues itself and defers one
        // wake of the workers, which is made once, after every runner.
        var log = new List<string>();
        var workers = new Target("workers", log);
        var first = new Target("runner-1", log, then: workers);
        var second = new Target("runner-2", log, then: workers);
        DeferredWakes.Open();
        DeferredWakes.TryDefer(first);
        DeferredWakes.TryDefer(second);
        DeferredWakes.Close();

        Assert.Equal(["runner-1", "runner-2", "workers"], log);
        Assert.Equal(1, workers.Wakes);
    }

    [Fact]
    public void Close_AWakeThrows_TheScopeIsStillClosed()
    {
        DeferredWakes.Open();
        DeferredWakes.TryDefer(new Throwing());
        Assert.Throws<InvalidOperationException>(DeferredWakes.Close);
        Assert.False(DeferredWakes.IsOpen);
        var late = new Target("late", []);
        Assert.False(DeferredWakes.TryDefer(late));
    }

    private sealed class Target(string name, List<string> log, IDeferredWake? then = null) : IDeferredWake
    {
        public int Wakes { get; private set; }

        public void Wake()
        {
            Wakes++;
            log.Add(name);
            if (then is not null && !DeferredWakes.TryDefer(then))
            {
                then.Wake();
            }
        }
    }

    private sealed class Throwing : IDeferredWake
    {
        public void Wake() => throw new InvalidOperationException("test");
    }
}
