using System.Diagnostics.Metrics;

namespace NymGateway.Tests.Telemetry;

/// <summary>
/// Sums what the instruments of one <see cref="Meter"/> object record, by instrument name and tag
/// values. It listens to that object only, so other gateways of the same test run (meters of the
/// same name are process-wide) do not count.
/// </summary>
public sealed class InstrumentRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<(string Name, string Tags), long> _sums = [];

    public InstrumentRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var values = new List<string>();
            foreach (var tag in tags)
            {
                values.Add($"{tag.Key}={tag.Value}");
            }
            lock (_sums)
            {
                var key = (instrument.Name, string.Join(',', values.Order()));
                // A gauge reports its value, a counter its increments.
                _sums[key] = instrument.IsObservable ? value : _sums.GetValueOrDefault(key) + value;
            }
        });
        _listener.Start();
    }

    /// <summary>The sum recorded on the instrument named <paramref name="name"/> over the tag sets holding every one of <paramref name="tags"/> ("reason=queue_full"); for a gauge, its value now.</summary>
    public long this[string name, params string[] tags]
    {
        get
        {
            _listener.RecordObservableInstruments();
            lock (_sums)
            {
                return _sums.Where(s => s.Key.Name == name && tags.All(s.Key.Tags.Split(',').Contains)).Sum(s => s.Value);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
