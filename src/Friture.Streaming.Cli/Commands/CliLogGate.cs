namespace Friture.Streaming.Cli.Commands;

/// <summary>
/// Holds log lines back while the host starts, so that a start-up failure is one line: the runner's (with the likely
/// fix), not the library's warning about the same failure before or after it. Lines that repeat the reported failure are
/// dropped; the rest are written once the start has succeeded or failed.
/// </summary>
internal sealed class CliLogGate(TextWriter error, bool stackTraces)
{
    private readonly Lock _lock = new();
    private List<string>? _held = [];
    private string? _reported;

    /// <summary>Whether exceptions are written with their stack traces (<c>--log-level debug</c> or <c>trace</c>).</summary>
    public bool StackTraces { get; } = stackTraces;

    /// <summary>Whether a formatted line may be written now; otherwise it is held or dropped.</summary>
    public bool Admit(string line)
    {
        lock (_lock)
        {
            if (_reported is not null && line.Contains(_reported, StringComparison.Ordinal))
            {
                return false;
            }

            if (_held is not null)
            {
                _held.Add(line);
                return false;
            }

            return true;
        }
    }

    /// <summary>Ends the start: writes the held lines, except those repeating <paramref name="reported"/>.</summary>
    public void Release(string? reported)
    {
        List<string>? held;
        lock (_lock)
        {
            _reported = string.IsNullOrEmpty(reported) ? null : reported;
            held = _held;
            _held = null;
        }

        foreach (var line in held ?? [])
        {
            if (reported is null || !line.Contains(reported, StringComparison.Ordinal))
            {
                error.Write(line);
            }
        }

        error.Flush();
    }
}
