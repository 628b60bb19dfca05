using Friture.Streaming.Configuration;
using Microsoft.Extensions.Options;

namespace Friture.Streaming.Hosting;

/// <summary>
/// Validates the whole options graph at once: the schema problems found while binding (unknown keys, wrong types,
/// unknown protocol kinds), then every value through the options' own Validate methods; every problem is named with its
/// path.
/// </summary>
internal sealed class FritureStreamingOptionsValidator(IEnumerable<ProtocolKind> kinds) : IValidateOptions<FritureStreamingOptions>
{
    public ValidateOptionsResult Validate(string? name, FritureStreamingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems(new ProtocolKindSet(kinds));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
