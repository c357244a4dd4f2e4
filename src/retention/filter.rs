//! `redact --older-than`: which findings are in records past their retention limit. A record
//! whose age cannot be told is treated as past it — redaction never leaves personal data
//! behind because of a guess.

use super::{DateSource, Dater, Limits, RecordAge};
use crate::format::StructureIndex;

#[derive(Debug, Clone)]
pub struct AgeFilter {
    pub dater: Dater,
    pub limits: Limits,
}

impl AgeFilter {
    /// The age of the record holding `pos`: its own date, else `carried` (the last timestamp
    /// seen before this buffer, for continuation lines), else `mtime`.
    pub fn age_at(
        &self,
        buf: &[u8],
        structure: Option<(&StructureIndex, &super::BufferDates)>,
        pos: usize,
        carried: Option<i64>,
        mtime: Option<i64>,
    ) -> RecordAge {
        let age = self.dater.date_at(buf, structure, pos);
        if !age.undated_record() {
            return age;
        }
        let in_cell = structure.is_some_and(|(ix, _)| ix.cell_at(pos).is_some());
        match (carried.filter(|_| !in_cell), mtime) {
            (Some(t), _) => RecordAge::new(Some(t), DateSource::Timestamp, None),
            (None, Some(t)) => RecordAge::new(Some(t), DateSource::Mtime, None),
            (None, None) => age,
        }
    }

    /// Whether data of this detector in a record of this age must go: it has a limit, and
    /// the record is older than the limit or of unknown age.
    pub fn due(&self, age: &RecordAge, detector: &str, category: &str) -> bool {
        let Some((_, limit)) = self.limits.for_detector(detector, category) else {
            return false;
        };
        age.time.is_none_or(|t| t < limit.cutoff(self.dater.now))
    }
}
