using System.IO;
using System.Runtime.Serialization.Formatters.Binary;
using System.Text.Json;
using Newtonsoft.Json;

namespace Orders.Messaging
{
    public sealed class OrderEvent
    {
        public string OrderId { get; set; } = "";
        public string Kind { get; set; } = "";
    }

    public sealed class EventDecoder
    {
        private static readonly JsonSerializerSettings Legacy = new JsonSerializerSettings
        {
            // ruleid: unsafe-deserialization
            TypeNameHandling = TypeNameHandling.All,
        };

        public object FromQueue(byte[] body)
        {
            // ruleid: unsafe-deserialization
            var formatter = new BinaryFormatter();
            using var stream = new MemoryStream(body);
            return formatter.Deserialize(stream);
        }

        public OrderEvent? FromCache(string json)
        {
            var settings = new JsonSerializerSettings();
            // ruleid: unsafe-deserialization
            settings.TypeNameHandling = TypeNameHandling.Auto;
            return JsonConvert.DeserializeObject<OrderEvent>(json, settings);
        }

        public OrderEvent? FromLegacy(string json) => JsonConvert.DeserializeObject<OrderEvent>(json, Legacy);

        // --- correct code ---

        private static readonly JsonSerializerSettings Safe = new JsonSerializerSettings
        {
            // ok: unsafe-deserialization
            TypeNameHandling = TypeNameHandling.None,
        };

        public OrderEvent? FromWire(string json)
        {
            // ok: unsafe-deserialization
            return System.Text.Json.JsonSerializer.Deserialize<OrderEvent>(json);
        }

        public OrderEvent? FromWireNewtonsoft(string json)
        {
            // ok: unsafe-deserialization
            return JsonConvert.DeserializeObject<OrderEvent>(json, Safe);
        }
    }
}
