using System.Net;
using System.Text;

namespace Friture.Streaming.Server.Tests.Support;

/// <summary>An independent SSE client: HttpClient reading the event stream line by line.</summary>
internal sealed class SseReader : IDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpClient client, HttpResponseMessage response, StreamReader reader)
    {
        _client = client;
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    public List<string> Comments { get; } = [];

    public static async Task<(HttpStatusCode Status, SseReader? Reader)> OpenAsync(int port, string query = "", Action<HttpRequestMessage>? configure = null)
    {
        var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/{query}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        configure?.Invoke(request);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Wait.Token());
        if (!response.IsSuccessStatusCode)
        {
            var status = response.StatusCode;
            response.Dispose();
            client.Dispose();
            return (status, null);
        }

        var stream = await response.Content.ReadAsStreamAsync(Wait.Token());
        return (response.StatusCode, new SseReader(client, response, new StreamReader(stream, Encoding.UTF8)));
    }

    /// <summary>Reads the next event (id and joined data lines), collecting comments; null at the end of the stream.</summary>
    public async Task<(string? Id, string Data)?> ReadEventAsync()
    {
        string? id = null;
        var data = new StringBuilder();
        var hasData = false;
        while (true)
        {
            var line = await _reader.ReadLineAsync(Wait.Token());
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (hasData)
                {
                    return (id, data.ToString());
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                Comments.Add(line);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                if (hasData)
                {
                    data.Append('\n');
                }

                data.Append(line[6..]);
                hasData = true;
            }
        }
    }

    /// <summary>Reads lines until a comment containing <paramref name="text"/> arrives.</summary>
    public async Task WaitForCommentAsync(string text)
    {
        while (!Comments.Exists(c => c.Contains(text, StringComparison.Ordinal)))
        {
            var line = await _reader.ReadLineAsync(Wait.Token()) ?? throw new InvalidOperationException("stream ended");
            if (line.StartsWith(':'))
            {
                Comments.Add(line);
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
        _client.Dispose();
    }
}
