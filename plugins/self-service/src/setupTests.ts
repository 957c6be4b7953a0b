import '@testing-library/jest-dom';

// Page tests render material-table and MUI dialogs; on the shared 2-core
// build machines one test can take several seconds under load.
jest.setTimeout(20_000);
