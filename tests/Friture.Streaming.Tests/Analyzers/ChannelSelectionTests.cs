using Friture.Streaming.Analyzers;

namespace Friture.Streaming.Tests.Analyzers;

public class ChannelSelectionTests
{
    public static TheoryData<int, int, int> Layouts()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var channels in new[] { 1, 2, 3, 6 })
        {
            foreach (var frames in new[] { 0, 1, 7, 8, 9, 512, 515 })
            {
                for (var selection = 0; selection <= Math.Min(channels, 3); selection++)
                {
                    data.Add(channels, frames, selection);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Extract_AnyLayoutAndLength_EqualsTheDefinition(int channels, int frames, int selection)
    {
        var random = new Random((channels * 1000) + frames);
        var interleaved = new float[(frames * channels) + (channels > 1 ? 1 : 0)]; // a stray sample is not a whole frame: ignored
        for (var i = 0; i < interleaved.Length; i++)
        {
            interleaved[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var choice = selection == 0 ? ChannelSelection.MonoSum : ChannelSelection.FromChannel(selection);
        var destination = new float[frames + 3];
        destination.AsSpan().Fill(42f);

        choice.Extract(interleaved, channels, destination);

        for (var n = 0; n < frames; n++)
        {
            float expected;
            if (selection > 0)
            {
                expected = interleaved[(n * channels) + selection - 1];
            }
            else
            {
                var sum = 0f;
                for (var c = 0; c < channels; c++)
                {
                    sum += interleaved[(n * channels) + c];
                }

                expected = sum * (1f / channels);
            }

            Assert.Equal(expected, destination[n]); // exactly: the vector path does the same arithmetic
        }

        Assert.All(destination[frames..], v => Assert.Equal(42f, v)); // nothing written past the frames
    }

    [Fact]
    public void Extract_DestinationTooShort_NamesTheSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => ChannelSelection.First.Extract(new float[32], 2, new float[15]));
        Assert.Contains("destination holds 15 samples; 16 are needed", error.Message, StringComparison.Ordinal);
    }
}
