import Foundation
import PaduCore
import PaduWarehouse

/// Padu's metrics in Prometheus text format, from the warehouse's `runs` table and, when the
/// daemon is running, its queue.
///
/// Labels carry pipeline names, run statuses, row outcomes and Padu's version only — never
/// paths, messages or rows — so the text holds no personal data (pipeline names are masked
/// like messages all the same, in case a NIK was used as one).
public enum MetricsExporter {
    /// The exposition text. `daemon` is nil when the daemon is not running: its gauges are
    /// then 0 and `padu_up` is 0. One aggregate query per metric family (the duration
    /// families share one).
    public static func text(warehouse: Warehouse, daemon: MetricsSnapshot?) throws -> String {
        let db = warehouse.database
        var out = PrometheusText()
        out.family("padu_build_info", .gauge, "Padu's version; the value is always 1.")
        out.sample("padu_build_info", ["version": Padu.version], 1)
        out.family("padu_up", .gauge, "1 when the daemon is running (and wrote these metrics or answered for them), else 0.")
        out.sample("padu_up", daemon == nil ? 0 : 1)

        out.family("padu_runs_total", .counter, "Runs recorded in the warehouse, by pipeline and status.")
        try db.query("SELECT pipeline, status, count(*) FROM runs GROUP BY pipeline, status ORDER BY pipeline, status") { r in
            out.sample("padu_runs_total", ["pipeline": label(r.text(0)), "status": r.text(1) ?? ""], Double(r.int(2) ?? 0))
        }

        out.family("padu_rows_total", .counter, "Rows of all runs, by pipeline and outcome (read, loaded, quarantined, skipped).")
        try db.query("""
            SELECT pipeline, sum(rows_read), sum(rows_loaded), sum(rows_quarantined), sum(rows_skipped)
            FROM runs GROUP BY pipeline ORDER BY pipeline
            """) { r in
            let p = label(r.text(0))
            for (i, outcome) in ["read", "loaded", "quarantined", "skipped"].enumerated() {
                out.sample("padu_rows_total", ["pipeline": p, "outcome": outcome], Double(max(0, r.int(i + 1) ?? 0)))
            }
        }

        var durations: [(pipeline: String, last: Double, sum: Double, count: Int64)] = []
        try db.query("""
            SELECT pipeline, sum(\(seconds("r"))), count(*),
                   (SELECT \(seconds("l")) FROM runs l WHERE l.pipeline = r.pipeline AND l.finished_at IS NOT NULL ORDER BY l.id DESC LIMIT 1)
            FROM runs r WHERE r.finished_at IS NOT NULL GROUP BY pipeline ORDER BY pipeline
            """) { r in
            durations.append((label(r.text(0)), max(0, r.double(3) ?? 0), max(0, r.double(1) ?? 0), r.int(2) ?? 0))
        }
        out.family("padu_run_duration_seconds", .gauge, "Duration of the pipeline's last finished run.")
        for d in durations { out.sample("padu_run_duration_seconds", ["pipeline": d.pipeline], d.last) }
        out.family("padu_run_duration_seconds_sum", .counter, "Total duration of the pipeline's finished runs.")
        for d in durations { out.sample("padu_run_duration_seconds_sum", ["pipeline": d.pipeline], d.sum) }
        out.family("padu_run_duration_seconds_count", .counter, "Finished runs of the pipeline.")
        for d in durations { out.sample("padu_run_duration_seconds_count", ["pipeline": d.pipeline], Double(d.count)) }

        out.family("padu_last_success_timestamp_seconds", .gauge, "When the pipeline's last succeeded run finished (Unix time).")
        try db.query("""
            SELECT pipeline, (max(julianday(finished_at)) - 2440587.5) * 86400.0 FROM runs
            WHERE status = 'succeeded' AND finished_at IS NOT NULL GROUP BY pipeline ORDER BY pipeline
            """) { r in
            out.sample("padu_last_success_timestamp_seconds", ["pipeline": label(r.text(0))], ((r.double(1) ?? 0) * 1000).rounded() / 1000)
        }

        out.family("padu_queue_depth", .gauge, "Runs queued in the daemon, not yet started.")
        out.sample("padu_queue_depth", Double(daemon?.queueDepth ?? 0))
        out.family("padu_runs_running", .gauge, "Runs in progress in the daemon.")
        out.sample("padu_runs_running", Double(daemon?.running ?? 0))
        out.family("padu_inputs_waiting", .gauge, "Inbox files of a file-arrival pipeline settling or settled, not yet read.")
        for (name, n) in (daemon?.inputsWaiting ?? [:]).sorted(by: { $0.key < $1.key }) {
            out.sample("padu_inputs_waiting", ["pipeline": label(name)], Double(n))
        }
        return out.text
    }

    /// A run's duration in seconds, from its ISO 8601 start and finish.
    private static func seconds(_ table: String) -> String {
        "(julianday(\(table).finished_at) - julianday(\(table).started_at)) * 86400.0"
    }

    /// A pipeline name as a label value: NIK-like digit runs masked.
    static func label(_ pipeline: String?) -> String { PersonalData.maskNIKs(in: pipeline ?? "") }
}
