using System.Diagnostics.Metrics;

namespace NymGateway.Tests.Telemetry;

/// <summary>
/// Sums what the instruments of one <see cref="Meter"/> object record, by instrument name and
/// <c>reason</c> tag ("" without one). It listens to that object only, so other gateways of the
/// same test run (meters of the same name are process-wide) do not count.
/// </summary>
public sealed class InstrumentRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<(string, string), long> _sums = [];

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
            string reason = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    reason = (string)tag.Value!;
                }
            }
            lock (_sums)
            {
                var key = (instrument.Name, reason);
                // A gauge reports its value, a counter its increments.
                _sums[key] = instrument.IsObservable ? value : _sums.GetValueOrDefault(key) + value;
            }
        });
        _listener.Start();
    }

    /// <summary>The sum recorded on the instrument named <paramref name="name"/> with that reason; for a gauge, its value now.</summary>
    public long this[string name, string reason = ""]
    {
        get
        {
            _listener.RecordObservableInstruments();
            lock (_sums)
            {
                return _sums.GetValueOrDefault((name, reason));
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
