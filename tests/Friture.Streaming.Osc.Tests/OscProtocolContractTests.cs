using Friture.Streaming.Osc;
using Friture.Streaming.Tests.Protocols;

namespace Friture.Streaming.Osc.Tests;

/// <summary>The lifecycle contract of every protocol (<see cref="StreamingProtocolContractTests{TProtocol}"/>), run on <see cref="OscProtocol"/>.</summary>
public sealed class OscProtocolContractTests : StreamingProtocolContractTests<OscProtocol>
{
    protected override string ExpectedName => "osc";

    protected override ProtocolEndpointKind EndpointKind => ProtocolEndpointKind.UdpSocket;

    protected override OscProtocol Create(int port) => new OscProtocol("127.0.0.1", port);
}
