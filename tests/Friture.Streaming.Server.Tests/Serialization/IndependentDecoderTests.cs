using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Friture.Streaming.Data;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Server.Tests.Serialization;

/// <summary>
/// Binary frames received from a real WebSocket server, with the client's own format and resolution, decoded by
/// decode_frame.py: a Python decoder written from docs/wire-format.md alone, run as a separate process.
/// </summary>
public sealed class IndependentDecoderTests
{
    [Fact]
    public async Task WebSocket_BinaryAtRequestedResolution_DecodesInPythonToTheReducedPayload()
    {
        await using var protocol = new WebSocketProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        // The protocol's format is JSON; this client asks for binary frames and 64 linear points up to 3 kHz.
        using var client = await WsClient.ConnectAsync(
            protocol.Port, "?format=binary&fft_spectrum.points=64&fft_spectrum.fmin=0&fft_spectrum.fmax=3000&fft_spectrum.scale=linear");
        using var other = await WsClient.ConnectAsync(protocol.Port);
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 2, "2 clients registered");
        var sent = TestData.Spectrum(9, 4097);
        var levels = TestData.Levels(10);

        protocol.Broadcast(sent, SerializationFormat.Json);
        protocol.Broadcast(levels, SerializationFormat.Json);

        var spectrumFrame = await WsClient.ReceiveAsync(client);
        var levelsFrame = await WsClient.ReceiveAsync(client);
        var json = await WsClient.ReceiveAsync(other);
        Assert.Equal(WebSocketMessageType.Binary, spectrumFrame!.Value.Type);
        Assert.Equal(WebSocketMessageType.Binary, levelsFrame!.Value.Type);
        Assert.Equal(WebSocketMessageType.Text, json!.Value.Type);

        var decoded = DecodeInPython(spectrumFrame.Value.Bytes, levelsFrame.Value.Bytes);

        var expected = (FftSpectrumData)PayloadReducer.ReducePayload(sent.Data, new ResolutionRequest
        {
            FftSpectrum = new SpectrumResolution { Points = 64, MinFrequencyHz = 0, MaxFrequencyHz = 3000, Scale = SpectrumScale.Linear },
        });
        var spectrum = decoded[0].RootElement;
        Assert.Equal("fft_spectrum", spectrum.GetProperty("metadata").GetProperty("data_type").GetString());
        Assert.Equal(9, spectrum.GetProperty("metadata").GetProperty("sequence_number").GetInt64());
        var data = spectrum.GetProperty("data");
        Assert.Equal(expected.Frequencies, Floats(data.GetProperty("frequencies")));
        Assert.Equal(expected.MagnitudesDb, Floats(data.GetProperty("magnitudes_db")));
        Assert.Equal(expected.MagnitudesLinear, Floats(data.GetProperty("magnitudes_linear")));
        Assert.Equal(64, expected.Frequencies.Length);
        Assert.Equal(8192, data.GetProperty("fft_size").GetInt32());

        var level = decoded[1].RootElement.GetProperty("data");
        Assert.Equal(((LevelsData)levels.Data).PeakLevelsDb, Floats(level.GetProperty("peak_levels_db")));
        Assert.Equal("ch2", level.GetProperty("channel_labels")[1].GetString());

        // The JSON client got the network default (80 log-spaced bands).
        var network = StreamingJson.Deserialize(json.Value.Bytes);
        Assert.Equal(80, ((FftSpectrumData)network.Data).MagnitudesDb.Length);
        foreach (var document in decoded)
        {
            document.Dispose();
        }
    }

    [Fact]
    public void EveryBuiltInPayload_BinaryFrame_DecodesInPythonToTheSameJson()
    {
        var messages = new List<StreamingData>
        {
            TestData.Spectrum(1, 1025),
            TestData.Levels(2),
            TestData.Pitch(3),
            new(TestData.Metadata(DataType.Scope, 4), new ScopeData
            {
                Times = [-0.001f, 0f, 0.001f],
                Samples = [[0.5f, -0.25f, 1e-7f], [0f, 1f, -1f]],
                ChannelLabels = ["ch1", "ch2"],
                WindowSeconds = 0.003,
                Triggered = true,
            }),
            new(TestData.Metadata(DataType.OctaveSpectrum, 5), new OctaveSpectrumData
            {
                CenterFrequencies = [500f, 1000f],
                LowerFrequencies = [353.6f, 707.1f],
                UpperFrequencies = [707.1f, 1414.2f],
                BandEnergiesDb = [-20.5f, -3.25f],
                BandLabels = ["500", "1k"],
                BandsPerOctave = 1,
            }),
            new(TestData.Metadata(DataType.Spectrogram, 6), new SpectrogramData { Frequencies = [100f, 200f], MagnitudesDb = [-40f, -50.125f] }),
            new(TestData.Metadata(DataType.DelayEstimator, 7), new DelayEstimatorData { DelayMs = 1.25, Confidence = 0.5 }),
        };

        var decoded = DecodeInPython([.. messages.Select(BinaryFrame.ToArray)]);

        for (var i = 0; i < messages.Count; i++)
        {
            using var expected = JsonDocument.Parse(StreamingJson.Serialize(messages[i]));
            var difference = Difference(expected.RootElement, decoded[i].RootElement, messages[i].DataType.Name);
            Assert.True(difference is null, difference);
            decoded[i].Dispose();
        }
    }

    /// <summary>The first difference, numbers compared as float32 (Python prints each float32 as a double).</summary>
    private static string? Difference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: {expected.ValueKind} expected, {actual.ValueKind} decoded";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(static p => p.Name).ToList();
                var actualNames = actual.EnumerateObject().Select(static p => p.Name).ToList();
                if (!names.Order().SequenceEqual(actualNames.Order()))
                {
                    return $"{path}: members {string.Join(",", names)} expected, {string.Join(",", actualNames)} decoded";
                }

                foreach (var name in names)
                {
                    if (Difference(expected.GetProperty(name), actual.GetProperty(name), path + "." + name) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    return $"{path}: {expected.GetArrayLength()} items expected, {actual.GetArrayLength()} decoded";
                }

                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    if (Difference(expected[i], actual[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Number:
                return (float)expected.GetDouble() == (float)actual.GetDouble() ? null : $"{path}: {expected} expected, {actual} decoded";
            default:
                return expected.GetRawText() == actual.GetRawText() ? null : $"{path}: {expected} expected, {actual} decoded";
        }
    }

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(static v => (float)v.GetDouble())];

    private static List<JsonDocument> DecodeInPython(params byte[][] frames)
    {
        var directory = Directory.CreateTempSubdirectory("friture-frames-");
        try
        {
            var files = new List<string>();
            for (var i = 0; i < frames.Length; i++)
            {
                var path = Path.Combine(directory.FullName, $"frame{i}.bin");
                File.WriteAllBytes(path, frames[i]);
                files.Add(path);
            }

            var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
            var start = new ProcessStartInfo(python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "decode_frame.py"));
            foreach (var file in files)
            {
                start.ArgumentList.Add(file);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), "decode_frame.py did not finish within 60 s");
            Assert.True(process.ExitCode == 0, $"decode_frame.py failed (scripts/ci/python-numpy.sh installs python3-numpy): {error.Result}");
            return [.. output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static line => JsonDocument.Parse(line))];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
