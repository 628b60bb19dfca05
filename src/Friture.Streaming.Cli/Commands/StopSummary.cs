using System.Globalization;
using Friture.Streaming.Cli.Views;
using Friture.Streaming.Diagnostics;

namespace Friture.Streaming.Cli.Commands;

/// <summary>The lines printed when friture-stream stops: what was analysed and delivered, and every message lost, by whom.</summary>
internal static class StopSummary
{
    public static List<string> Lines(AnalysisSnapshot snapshot, StreamingStatistics statistics, double stopSeconds)
    {
        long clientDrops = 0;
        foreach (var protocol in statistics.Protocols)
        {
            clientDrops += protocol.MessagesDropped;
        }

        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"friture-stream: stopped after {snapshot.StreamTime:0.0} s of audio, {snapshot.Messages} messages shown, {statistics.TotalProduced} produced, {statistics.TotalDelivered} delivered, {statistics.TotalDropped + clientDrops} dropped (stop took {stopSeconds:0.0} s)"),
        };
        if (statistics.TotalDropped > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {statistics.TotalDropped} dropped in consumer queues (a consumer too slow for the stream)"));
        }

        foreach (var protocol in statistics.Protocols)
        {
            if (protocol.MessagesDropped > 0)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"  {protocol.MessagesDropped} dropped by {protocol.Name}: {protocol.ClientsWithDrops} of {protocol.AcceptedConnections} clients read too slowly (sent {protocol.MessagesSent})"));
            }
        }

        return lines;
    }
}
