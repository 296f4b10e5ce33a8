// TEMPORARY until aidledger_parse::find_times lands.
use aidledger_parse::{Found, Lang, Prefer, TimeValue};
pub fn find_times(_t: &str, _l: Lang, _r: Option<jiff::civil::Date>, _p: Prefer) -> Vec<Found<TimeValue>> {
    Vec::new()
}
pub trait RecordDate {
    fn record_date(&self) -> String;
}
impl RecordDate for TimeValue {
    fn record_date(&self) -> String {
        self.start.to_string()
    }
}
