namespace Friture.Streaming.Cli.Commands;

/// <summary>How the terminal shows the analysis.</summary>
internal enum CliView
{
    Auto,
    Live,
    Plain,
}
