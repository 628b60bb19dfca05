using Friture.Streaming.Mqtt;
using Friture.Streaming.Tests.Protocols;

namespace Friture.Streaming.Mqtt.Tests;

/// <summary>The lifecycle contract of every protocol (<see cref="StreamingProtocolContractTests{TProtocol}"/>), run on <see cref="MqttProtocol"/>.</summary>
public sealed class MqttProtocolContractTests : StreamingProtocolContractTests<MqttProtocol>
{
    protected override string ExpectedName => "mqtt";

    protected override ProtocolEndpointKind EndpointKind => ProtocolEndpointKind.Broker;

    protected override MqttProtocol Create(int port) => new MqttProtocol("127.0.0.1", port, new MqttProtocolOptions { SourceId = "contract" });
}
