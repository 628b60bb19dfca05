using System.CommandLine;

namespace Friture.Streaming.Cli.Commands;

/// <summary>friture-stream's entry point: parse, validate (exit code 2 with a clear message), run.</summary>
internal static class CliApplication
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var options = new CliOptions();
        var root = options.CreateCommand();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"friture-stream: error: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'friture-stream --help' for every flag.").ConfigureAwait(false);
            return ExitUsage;
        }

        root.SetAction(async (result, token) =>
        {
            var problems = new List<string>();
            var configuration = CliConfigurationReader.Read(result, options, problems);
            if (configuration is null)
            {
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync($"friture-stream: error: {problem}").ConfigureAwait(false);
                }

                await error.WriteLineAsync("Run 'friture-stream --help' for every flag.").ConfigureAwait(false);
                return ExitUsage;
            }

            return await new CliRunner(configuration, output, error).RunAsync(token).ConfigureAwait(false);
        });

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(20),
        };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
