//! The reports' charts: SVG drawn on the server with plotters (no script, no font files: the
//! browser sets the labels, Chinese included). Every chart has its table beneath it, so the
//! numbers stay readable by screen readers and can be copied.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// The stage colours of kefu.css (pre-sale teal, its light tint; in-sale indigo).
const STRONG: RGBColor = RGBColor(0x0e, 0x8a, 0x79);
const LIGHT: RGBColor = RGBColor(0x9f, 0xd9, 0xcf);
const LINE: RGBColor = RGBColor(0x44, 0x51, 0xc9);
const INK: RGBColor = RGBColor(0x4e, 0x55, 0x60);

const WIDTH: u32 = 960;
const HEIGHT: u32 = 260;

/// At most this many labels along the bottom; the others are left out so they do not overlap.
const MAX_LABELS: usize = 14;

/// The label of the key at a tick: keys sit on whole numbers; other ticks have none.
fn key_at(keys: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    keys.get(i as usize).map(|k| short(k)).unwrap_or_default()
}

/// Short labels for dates (MM-DD); others as they are, cut to 8 characters.
fn short(key: &str) -> String {
    let is_date = key.len() == 10 && key.as_bytes()[4] == b'-' && key.as_bytes()[7] == b'-';
    if is_date { key[5..].to_string() } else { key.chars().take(8).collect() }
}

/// Bars of two series per key, side by side: the first (`back`) light, the second (`front`)
/// strong — e.g. inquiries and those converted. An empty string if there is nothing to draw.
pub fn paired_bars(keys: &[String], back: (&str, &[i64]), front: (&str, &[i64])) -> String {
    grouped_bars(keys, &[(back.0, back.1, LIGHT), (front.0, front.1, STRONG)])
}

/// One bar per key (e.g. returns per reason).
pub fn bars(keys: &[String], name: &str, values: &[i64]) -> String {
    grouped_bars(keys, &[(name, values, STRONG)])
}

/// The drawing area of a chart: keys sit on whole numbers along the bottom.
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

/// A chart of `keys` up to `max` (`unit` after the numbers on the left), with `names` in the
/// legend; `draw` puts the series on it. An empty string if there is nothing to draw.
fn chart(
    keys: &[String], max: i64, unit: &str, names: &[(&str, RGBColor)], draw: impl FnOnce(&mut Plot) -> Drawn,
) -> String {
    if keys.is_empty() || max <= 0 {
        return String::new();
    }
    let mut svg = String::new();
    let drawn = (|| -> Drawn {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let n = keys.len();
        let top = (max as f64 * 1.15).ceil();
        let mut plot = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(if unit.is_empty() { 44 } else { 52 })
            .build_cartesian_2d(-0.5f64..n as f64 - 0.5, 0f64..top)
            .map_err(|e| e.to_string())?;
        plot.configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(0xe4, 0xe7, 0xec))
            .x_labels(n.min(MAX_LABELS))
            .y_labels(5)
            .x_label_formatter(&|x| key_at(keys, *x))
            .y_label_formatter(&|y| format!("{y:.0}{unit}"))
            .label_style(("sans-serif", 12).into_font().color(&INK))
            .axis_style(RGBColor(0xc3, 0xc8, 0xcf))
            .draw()
            .map_err(|e| e.to_string())?;
        draw(&mut plot)?;
        legend(&root, names).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
        Ok(())
    })();
    if drawn.is_err() { String::new() } else { svg }
}

/// Bars of each series per key, side by side in the key's slot.
fn grouped_bars(keys: &[String], series: &[(&str, &[i64], RGBColor)]) -> String {
    let max = series.iter().flat_map(|s| s.1.iter()).copied().max().unwrap_or(0);
    let names: Vec<(&str, RGBColor)> = series.iter().map(|(name, _, colour)| (*name, *colour)).collect();
    chart(keys, max, "", &names, |plot| {
        // The slot is 0.76 wide, shared by the series.
        let width = 0.76 / series.len() as f64;
        for (k, (_, values, colour)) in series.iter().enumerate() {
            let from = -0.38 + k as f64 * width;
            plot.draw_series(values.iter().enumerate().map(|(i, v)| {
                let x = i as f64;
                Rectangle::new([(x + from + 0.02, 0.0), (x + from + width - 0.02, *v as f64)], colour.filled())
            }))
            .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// A line per key (e.g. the daily median first-response time in seconds); keys without a
/// value leave a gap in the line.
pub fn line(keys: &[String], name: &str, values: &[Option<i64>], unit: &str) -> String {
    let max = values.iter().flatten().copied().max().unwrap_or(0);
    chart(keys, max, unit, &[(name, LINE)], |plot| {
        // One line for each run of days with a value.
        let mut runs = vec![Vec::new()];
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => runs.last_mut().expect("one run at least").push((i as f64, *v as f64)),
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            plot.draw_series(LineSeries::new(run.clone(), LINE.stroke_width(2))).map_err(|e| e.to_string())?;
            plot.draw_series(run.into_iter().map(|p| Circle::new(p, 3, LINE.filled()))).map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// The series' names in the top right corner.
fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>, items: &[(&str, RGBColor)],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut x = WIDTH as i32 - 24;
    for (name, colour) in items.iter().rev() {
        let width = 16 + 13 * name.chars().count() as i32;
        x -= width + 16;
        root.draw(&Rectangle::new([(x, 10), (x + 12, 22)], colour.filled()))?;
        root.draw(&Text::new(name.to_string(), (x + 16, 10), ("sans-serif", 12).into_font().color(&INK)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_draw_one_rectangle_per_value_with_chinese_labels() {
        let keys: Vec<String> = ["2026-11-01", "2026-11-02"].iter().map(|k| k.to_string()).collect();
        let svg = paired_bars(&keys, ("询单人数", &[4, 2]), ("下单", &[1, 0]));
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("询单人数") && svg.contains("11-01"));
        assert_eq!(svg.matches("<rect").count() - 1 - 2, 4, "a background, two legend keys and four bars");
        assert!(paired_bars(&keys, ("a", &[0, 0]), ("b", &[0, 0])).is_empty(), "nothing to draw");
    }

    #[test]
    fn lines_leave_gaps_where_there_is_no_value() {
        let keys: Vec<String> = (1..=3).map(|d| format!("2026-11-0{d}")).collect();
        let svg = line(&keys, "首响中位数", &[Some(30), None, Some(90)], "秒");
        assert!(svg.contains("首响中位数"));
        let runs = svg.lines().filter(|l| l.contains("<polyline") && l.to_uppercase().contains("#4451C9")).count();
        assert_eq!(runs, 2, "two runs: {svg}");
    }
}
