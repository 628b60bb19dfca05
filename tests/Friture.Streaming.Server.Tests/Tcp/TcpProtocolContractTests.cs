using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Tests.Protocols;

namespace Friture.Streaming.Server.Tests.Tcp;

/// <summary>The lifecycle contract of every protocol (<see cref="StreamingProtocolContractTests{TProtocol}"/>), run on <see cref="TcpProtocol"/>.</summary>
public sealed class TcpProtocolContractTests : StreamingProtocolContractTests<TcpProtocol>
{
    protected override string ExpectedName => "tcp";

    protected override ProtocolEndpointKind EndpointKind => ProtocolEndpointKind.TcpListener;

    protected override TcpProtocol Create(int port) => new TcpProtocol("127.0.0.1", port);
}
