using Friture.Streaming.Server.WebSockets;
using Friture.Streaming.Tests.Protocols;

namespace Friture.Streaming.Server.Tests.WebSockets;

/// <summary>The lifecycle contract of every protocol (<see cref="StreamingProtocolContractTests{TProtocol}"/>), run on <see cref="WebSocketProtocol"/>.</summary>
public sealed class WebSocketProtocolContractTests : StreamingProtocolContractTests<WebSocketProtocol>
{
    protected override string ExpectedName => "websocket";

    protected override ProtocolEndpointKind EndpointKind => ProtocolEndpointKind.TcpListener;

    protected override WebSocketProtocol Create(int port) => new WebSocketProtocol("127.0.0.1", port);
}
