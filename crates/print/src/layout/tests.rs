use super::*;

#[test]
fn rows_fill_pages_in_order_and_none_is_split() {
    let heights = vec![10.0; 25];
    let pages = paginate(&heights, 100.0, 0.0);
    assert_eq!(pages, vec![0..10, 10..20, 20..25]);
}

#[test]
fn the_trailer_takes_the_last_row_with_it_rather_than_stand_alone() {
    let heights = vec![10.0; 20];
    // Two full pages; the trailer (35) does not fit under the second page's rows.
    let pages = paginate(&heights, 100.0, 35.0);
    assert_eq!(pages, vec![0..10, 10..19, 19..20]);
    // It fits under a page that has room.
    assert_eq!(paginate(&heights[..15], 100.0, 35.0), vec![0..10, 10..15]);
}

#[test]
fn an_empty_table_is_one_page_and_a_huge_row_leaves_the_trailer_its_own_page() {
    assert_eq!(paginate(&[], 100.0, 40.0), vec![0..0]);
    assert_eq!(paginate(&[90.0], 100.0, 40.0), vec![0..1, 1..1]);
}
