using Friture.Streaming.Server.Udp;
using Friture.Streaming.Tests.Protocols;

namespace Friture.Streaming.Server.Tests.Udp;

/// <summary>The lifecycle contract of every protocol (<see cref="StreamingProtocolContractTests{TProtocol}"/>), run on <see cref="UdpProtocol"/>.</summary>
public sealed class UdpProtocolContractTests : StreamingProtocolContractTests<UdpProtocol>
{
    protected override string ExpectedName => "udp";

    protected override ProtocolEndpointKind EndpointKind => ProtocolEndpointKind.UdpSocket;

    protected override UdpProtocol Create(int port) => new UdpProtocol("127.0.0.1", port);
}
