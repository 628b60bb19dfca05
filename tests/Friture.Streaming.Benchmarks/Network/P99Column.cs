using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Friture.Streaming.Benchmarks.Network;

/// <summary>The 99th percentile of the measured operations (BenchmarkDotNet's built-in percentile columns stop at P95).</summary>
public sealed class P99Column : IColumn
{
    public string Id => "P99";

    public string ColumnName => "P99";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Time;

    public string Legend => "99th percentile of the operation times";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null)
        {
            return "NA";
        }

        var nanoseconds = statistics.Percentiles.Percentile(99);
        return $"{nanoseconds / 1000.0:N1} us";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
