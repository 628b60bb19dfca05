using Friture.Streaming.Server.Sse;
using Friture.Streaming.Tests.Protocols;

namespace Friture.Streaming.Server.Tests.Sse;

/// <summary>The lifecycle contract of every protocol (<see cref="StreamingProtocolContractTests{TProtocol}"/>), run on <see cref="HttpSseProtocol"/>.</summary>
public sealed class HttpSseProtocolContractTests : StreamingProtocolContractTests<HttpSseProtocol>
{
    protected override string ExpectedName => "http_sse";

    protected override ProtocolEndpointKind EndpointKind => ProtocolEndpointKind.TcpListener;

    protected override HttpSseProtocol Create(int port) => new HttpSseProtocol("127.0.0.1", port);
}
