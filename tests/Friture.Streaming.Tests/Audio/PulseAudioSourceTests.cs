using System.Diagnostics;
using System.Runtime.Versioning;
using Friture.Streaming.Audio;
using Microsoft.Extensions.Logging.Abstractions;

namespace Friture.Streaming.Tests.Audio;

/// <summary>
/// Live capture against a real PulseAudio daemon with a null sink (started by <c>scripts/ci/pulseaudio.sh</c>): a known
/// tone is played into the sink with <c>paplay</c> and captured from the sink's monitor source.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[SupportedOSPlatform("linux")]
public sealed class PulseAudioSourceTests
{
    private static readonly string SinkName = Environment.GetEnvironmentVariable("FRITURE_TEST_SINK") ?? "friture_test";

    [Fact]
    public void ListDevices_DaemonWithNullSink_ListsItsMonitor()
    {
        var devices = RequireDaemon();

        var monitor = Assert.Single(devices, d => d.Name == SinkName + ".monitor");
        Assert.True(monitor.IsMonitor);
        Assert.False(string.IsNullOrEmpty(monitor.Description));
        Assert.InRange(monitor.SampleRate, AudioFormat.MinSampleRate, AudioFormat.MaxSampleRate);
        Assert.InRange(monitor.Channels, 1, AudioFormat.MaxChannels);
        Assert.True(devices.Count(d => d.IsDefault) <= 1);
    }

    [Theory]
    [InlineData(48_000, 2, 512)]
    [InlineData(44_100, 1, 256)]
    public async Task Read_TonePlayedIntoNullSink_CapturesItsFrequencyAndLevelFromTheMonitor(int rate, int channels, int blockSize)
    {
        RequireDaemon();
        const double toneHz = 1_000;
        const double levelDbfs = -12;
        var wav = Path.Combine(Path.GetTempPath(), $"friture-pa-{Guid.NewGuid():N}.wav");
        try
        {
            WriteTone(wav, toneHz, levelDbfs, seconds: 2);
            using var source = new PulseAudioSource(new PulseAudioSourceOptions
            {
                DeviceName = SinkName + ".monitor", SampleRate = rate, Channels = channels, FragmentFrames = blockSize,
            });
            var sink = new CollectingSink(rate * channels * 12); // room for a slow paplay start on a busy machine
            await using var loop = new AudioCaptureLoop(source, blockSize, sink, NullLogger.Instance);
            loop.Start();

            using var player = Process.Start(new ProcessStartInfo("paplay", ["--device=" + SinkName, wav])
            {
                RedirectStandardError = true,
            })!;
            await player.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            Assert.True(player.ExitCode == 0, "paplay failed: " + await player.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
            // The whole tone is in the sink when paplay exits; half a second more covers the monitor's latency.
            var target = Math.Min(sink.Samples.Length, sink.Count + (rate * channels / 2));
            await Wait.UntilAsync(() => sink.Count >= target || sink.Failure is not null, "half a second of capture after paplay ended");
            await loop.StopAsync();

            Assert.Null(sink.Failure);
            Assert.Equal(0, loop.Overruns);
            for (var c = 0; c < channels; c++)
            {
                var x = SignalMeasures.Channel(sink.Samples, channels, c);
                var onset = FirstLoudFrame(x, rate);
                Assert.True(onset >= 0, $"channel {c + 1}: the tone never arrived");

                // 0.5 s from 0.25 s after the onset: 500 whole periods, clear of fades and of the end of the file.
                var window = x.AsSpan(onset + (rate / 4), rate / 2);
                Assert.Equal(toneHz, SignalMeasures.ZeroCrossingFrequency(window, rate), tolerance: 0.5);
                Assert.Equal(levelDbfs, SignalMeasures.Db(SignalMeasures.ToneAmplitude(window, toneHz, rate)), tolerance: 0.5);
            }
        }
        finally
        {
            File.Delete(wav);
        }
    }

    [Fact]
    public void Start_UnknownDevice_ThrowsAudioSourceExceptionNamingIt()
    {
        RequireDaemon();
        using var source = new PulseAudioSource(new PulseAudioSourceOptions { DeviceName = "no_such_source_42" });

        var ex = Assert.Throws<AudioSourceException>(source.Start);

        Assert.Contains("no_such_source_42", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListDevices_NoServerThere_ThrowsAudioSourceException()
    {
        var ex = Assert.Throws<AudioSourceException>(() => PulseAudioSource.ListDevices("unix:/nonexistent/friture/native", TimeSpan.FromSeconds(2)));

        Assert.Contains("cannot be reached", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FragmentOutOfRange_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PulseAudioSource(new PulseAudioSourceOptions { FragmentFrames = 8 }));

        Assert.Equal("FragmentFrames", ex.ParamName);
        Assert.Contains("FragmentFrames is 8 frames", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A named source that disappears mid-stream (its null sink's module unloaded, as a USB microphone unplugged): the
    /// server would move the recording to another source silently; the source fails naming the device instead, the API
    /// reports it through ErrorOccurred, and another source can be set.
    /// </summary>
    [Fact]
    public async Task StreamingApi_NamedSourceUnloadedMidStream_ErrorNamesTheDeviceAndAnotherSourceCanBeSet()
    {
        RequireDaemon();
        var sinkName = "friture_gone_" + Guid.NewGuid().ToString("N")[..8];
        var module = (await PactlAsync("load-module", "module-null-sink", "sink_name=" + sinkName, "rate=48000", "channels=2")).Trim();
        var loaded = true;
        try
        {
            await using var api = new StreamingApi(new StreamingApiOptions { BlockSize = 480 });
            var errors = new System.Collections.Concurrent.ConcurrentQueue<StreamingErrorEventArgs>();
            api.ErrorOccurred += (_, e) => errors.Enqueue(e);
            var blocks = 0;
            api.RegisterProducer(new Friture.Streaming.Recording.RawAudioProducer());
            api.RegisterConsumer(Friture.Streaming.Recording.RawAudioProducer.RawAudio, new Friture.Streaming.Consumers.CallbackConsumer(_ => Interlocked.Increment(ref blocks)));
            using var source = new PulseAudioSource(new PulseAudioSourceOptions { DeviceName = sinkName + ".monitor", FragmentFrames = 480 });
            api.SetAudioSource(source);
            await api.StartStreamingAsync(TestContext.Current.CancellationToken);
            await Wait.UntilAsync(() => Volatile.Read(ref blocks) >= 10, "ten blocks from the monitor");

            await PactlAsync("unload-module", module);
            loaded = false;
            await Wait.UntilAsync(() => errors.Any(e => e.ErrorType == StreamingErrorType.AudioSourceFailed), "the source failure");
            await api.StopStreamingAsync();

            var failure = errors.First(e => e.ErrorType == StreamingErrorType.AudioSourceFailed);
            Assert.Contains(sinkName + ".monitor", failure.Message, StringComparison.Ordinal);
            Assert.Contains("is gone", failure.Message, StringComparison.Ordinal);

            using var other = new PulseAudioSource(new PulseAudioSourceOptions { DeviceName = SinkName + ".monitor", FragmentFrames = 480 });
            api.SetAudioSource(other);
            var before = Volatile.Read(ref blocks);
            await api.StartStreamingAsync(TestContext.Current.CancellationToken);
            await Wait.UntilAsync(() => Volatile.Read(ref blocks) >= before + 10, "blocks from the other source");
            await api.StopStreamingAsync();
        }
        finally
        {
            if (loaded)
            {
                await PactlAsync("unload-module", module);
            }
        }
    }

    private static async Task<string> PactlAsync(params string[] args)
    {
        using var pactl = Process.Start(new ProcessStartInfo("pactl", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await pactl.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await pactl.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await pactl.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(pactl.ExitCode == 0, $"pactl {string.Join(' ', args)}: {error}");
        return output;
    }

    private static IReadOnlyList<PulseAudioDevice> RequireDaemon()
    {
        IReadOnlyList<PulseAudioDevice> devices;
        try
        {
            devices = PulseAudioSource.ListDevices();
        }
        catch (AudioSourceException ex)
        {
            Prerequisite.Missing($"no PulseAudio daemon ({ex.Message}); run scripts/ci/pulseaudio.sh");
            throw;
        }

        if (!devices.Any(d => d.Name == SinkName + ".monitor"))
        {
            Prerequisite.Missing($"the daemon has no '{SinkName}' null sink; run scripts/ci/pulseaudio.sh");
        }

        return devices;
    }

    internal static void WriteTone(string path, double frequency, double levelDbfs, int seconds)
    {
        using var generator = new SignalGeneratorSource(new SignalGeneratorOptions
        {
            FrequencyHz = frequency, LevelDbfs = levelDbfs, Channels = 2, RealTime = false,
        });
        generator.Start();
        using var writer = new WavWriter(path, generator.Format, WavSampleFormat.Pcm16);
        var block = new float[480 * 2];
        for (var i = 0; i < seconds * 100; i++)
        {
            generator.Read(block, CancellationToken.None);
            writer.Write(block);
        }
    }

    internal static int FirstLoudFrame(float[] x, int rate)
    {
        var step = rate / 100;
        for (var i = 0; i + step <= x.Length; i += step)
        {
            if (SignalMeasures.Rms(x.AsSpan(i, step)) > 0.03)
            {
                return i;
            }
        }

        return -1;
    }
}
