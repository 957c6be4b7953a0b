import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';

/** The next page of a cursor-paginated list. */
export function LoadMore(props: {
  hasMore: boolean;
  loading: boolean;
  onClick: () => void;
}) {
  if (!props.hasMore) {
    return null;
  }
  return (
    <Box display="flex" justifyContent="center" mt={1}>
      <Button
        variant="outlined"
        disabled={props.loading}
        onClick={props.onClick}
      >
        Load more
      </Button>
    </Box>
  );
}
