namespace Friture.Streaming.Configuration;

/// <summary>Settings could not be read or applied; the message names every invalid setting, its value and the allowed range.</summary>
public sealed class StreamingSettingsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StreamingSettingsException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public StreamingSettingsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StreamingSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Every problem found, one per entry.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Throws when <paramref name="problems"/> is not empty, with every problem in the message.</summary>
    /// <param name="source">What was read (for example <c>Settings file 'a.json'</c>).</param>
    /// <param name="problems">The problems.</param>
    internal static void ThrowIfAny(string source, List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new StreamingSettingsException(
                $"{source} has {problems.Count} problem(s): {string.Join(" ", problems)}")
            { Problems = [.. problems] };
        }
    }
}
